package org.mailsetup.internal.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsClient;
import org.mailsetup.internal.net.BlockedAddressException;
import org.mailsetup.internal.net.NetworkPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HttpFetcher} over OkHttp. One OkHttpClient (one connection pool) serves every request.
 *
 * <p>Guards, in the order a request meets them:
 * <ul>
 *   <li>host names are resolved only through our {@link DnsClient} (never the system resolver or
 *       /etc/hosts), under the request's deadline, and addresses the {@link NetworkPolicy} refuses are
 *       dropped; if none is left the request fails with {@link BlockedAddressException};</li>
 *   <li>every socket checks the address it is about to dial, so an IP-literal URL (which OkHttp does
 *       not resolve) or any other path around the DNS filter is refused before a TCP packet is sent;</li>
 *   <li>a network interceptor checks the peer address of the connection actually used, before any
 *       request byte is written (belt and braces against DNS rebinding and pooled connections);</li>
 *   <li>redirects are followed here, not by OkHttp, so each hop goes through the same guards.</li>
 * </ul>
 * No cookies, no cache, no authenticator, no proxy; a response body larger than the request's cap is
 * an error, read no further than one byte past the cap.
 */
public final class OkHttpFetcher implements HttpFetcher {

    public static final String USER_AGENT = "mailsetup/0.1";

    private static final Logger LOG = LoggerFactory.getLogger(OkHttpFetcher.class);

    /** No single connect or read waits longer than this, whatever the deadline. */
    private static final Duration MAX_CONNECT = Duration.ofSeconds(10);
    private static final Duration MAX_READ = Duration.ofSeconds(10);

    private static final Set<String> FORBIDDEN_HEADERS =
            Set.of("authorization", "proxy-authorization", "cookie");

    private final OkHttpClient client;
    private final NetworkPolicy policy;
    private final DnsClient dns;

    private OkHttpFetcher(NetworkPolicy policy, DnsClient dns, X509TrustManager trust) {
        this.policy = policy;
        this.dns = dns;
        SSLContext tls;
        try {
            tls = SSLContext.getInstance("TLS");
            tls.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
        this.client = new OkHttpClient.Builder()
                .followRedirects(false)
                .followSslRedirects(false)
                // DIRECT only: a proxy would resolve names itself and dial addresses we never see.
                .proxy(Proxy.NO_PROXY)
                .dns(new PolicyDns(null))
                .socketFactory(new PolicySocketFactory())
                .sslSocketFactory(tls.getSocketFactory(), trust)
                .addInterceptor(this::applyDeadline)
                .addNetworkInterceptor(this::checkConnectedPeer)
                .connectTimeout(MAX_CONNECT)
                .readTimeout(MAX_READ)
                .writeTimeout(MAX_READ)
                .build();
    }

    /**
     * @param policy which addresses may be connected to
     * @param dns    the only resolver used
     * @param trust  validates server certificates (see {@code TrustStores})
     */
    public static OkHttpFetcher create(NetworkPolicy policy, DnsClient dns, X509TrustManager trust) {
        return new OkHttpFetcher(policy, dns, trust);
    }

    @Override
    public HttpResult fetch(HttpRequest request, Deadline deadline) throws IOException {
        HttpUrl url = validate(request);
        String method = request.method().toUpperCase(Locale.ROOT);
        byte[] body = request.body();
        String contentType = request.contentType();
        List<URI> hops = new ArrayList<>();
        Set<HttpUrl> seen = new HashSet<>();
        seen.add(url);
        boolean allHttps = true;
        for (int redirects = 0; ; redirects++) {
            if (deadline.expired()) {
                throw new InterruptedIOException("deadline passed before fetching " + url);
            }
            hops.add(url.uri());
            allHttps &= url.isHttps();
            Request okRequest = buildRequest(request.headers(), url, method, body, contentType, deadline);
            Call call = client.newCall(okRequest);
            call.timeout().timeout(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
            LOG.debug("{} {}", method, url);
            try (Response response = call.execute()) {
                int code = response.code();
                String location = response.header("Location");
                if (isRedirect(code) && location != null) {
                    HttpUrl next = url.resolve(location);
                    if (next == null) {
                        throw new IOException(url + " redirects to '" + location + "', which is not an http(s) URL");
                    }
                    if (redirects >= request.maxRedirects()) {
                        throw new IOException("too many redirects: more than " + request.maxRedirects()
                                + " starting at " + hops.getFirst());
                    }
                    if (!seen.add(next)) {
                        throw new IOException("redirect loop: " + url + " redirects back to " + next);
                    }
                    // Like browsers: 301/302/303 turn a POST into a GET without body; 307/308 keep both.
                    if (code == 303 || ((code == 301 || code == 302) && method.equals("POST"))) {
                        method = "GET";
                        body = null;
                        contentType = null;
                    }
                    url = next;
                    continue;
                }
                byte[] bytes = readCapped(response.body(), request.maxBytes(), url);
                return new HttpResult(url.uri(), code, response.header("Content-Type"), bytes, hops, allHttps);
            } catch (ResolutionFailure e) {
                // OkHttp's Dns interface only lets UnknownHostException through; restore the real cause.
                throw e.cause;
            } catch (InterruptedIOException e) {
                InterruptedIOException t = new InterruptedIOException(url + ": timed out ("
                        + (deadline.expired() ? "deadline reached" : e.getMessage()) + ")");
                t.initCause(e);
                throw t;
            }
        }
    }

    private static HttpUrl validate(HttpRequest request) throws IOException {
        if (request.url() == null) {
            throw new IllegalArgumentException("request has no URL");
        }
        HttpUrl url = HttpUrl.parse(request.url().toString());
        if (url == null) {
            throw new IOException("'" + request.url() + "' is not an http or https URL");
        }
        String method = request.method() == null ? "" : request.method().toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("POST")) {
            throw new IllegalArgumentException("unsupported method '" + request.method() + "' (GET or POST only)");
        }
        if (method.equals("POST") && request.body() == null) {
            throw new IllegalArgumentException("POST without a body");
        }
        if (request.maxBytes() < 0 || request.maxBytes() == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBytes must be between 0 and " + (Integer.MAX_VALUE - 1));
        }
        if (request.maxRedirects() < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative");
        }
        for (String name : request.headers().keySet()) {
            if (FORBIDDEN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("mailsetup never sends credentials; header '" + name
                        + "' is not allowed");
            }
        }
        return url;
    }

    private static Request buildRequest(Map<String, String> headers, HttpUrl url, String method, byte[] body,
                                        String contentType, Deadline deadline) {
        Request.Builder b = new Request.Builder().url(url).tag(Deadline.class, deadline);
        headers.forEach(b::header);
        b.header("User-Agent", USER_AGENT);
        if (method.equals("POST")) {
            MediaType type = contentType == null ? null : MediaType.parse(contentType);
            b.post(RequestBody.create(body, type));
        } else {
            b.get();
        }
        return b.build();
    }

    private static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }

    /** Reads at most maxBytes + 1 decoded bytes, so an oversized body is detected without buffering it. */
    private static byte[] readCapped(ResponseBody body, int maxBytes, HttpUrl url) throws IOException {
        long declared = body.contentLength();
        if (declared > maxBytes) {
            throw new IOException(url + ": response body is larger than " + maxBytes + " bytes (Content-Length "
                    + declared + ")");
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        long limit = (long) maxBytes + 1;
        while (buffer.size() < limit) {
            if (source.read(buffer, limit - buffer.size()) == -1) {
                break;
            }
        }
        if (buffer.size() > maxBytes) {
            throw new IOException(url + ": response body is larger than " + maxBytes + " bytes");
        }
        return buffer.readByteArray();
    }

    /** Gives each call the DNS adapter and timeouts of its own deadline. */
    private Response applyDeadline(Interceptor.Chain chain) throws IOException {
        Deadline deadline = chain.request().tag(Deadline.class);
        if (deadline == null) {
            throw new IllegalStateException("request without a deadline");
        }
        return chain.withDns(new PolicyDns(deadline))
                .withConnectTimeout(millis(deadline.cap(MAX_CONNECT)), TimeUnit.MILLISECONDS)
                .withReadTimeout(millis(deadline.cap(MAX_READ)), TimeUnit.MILLISECONDS)
                .withWriteTimeout(millis(deadline.cap(MAX_READ)), TimeUnit.MILLISECONDS)
                .proceed(chain.request());
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** Runs on the connection chosen for the request, before the request is written to it. */
    private Response checkConnectedPeer(Interceptor.Chain chain) throws IOException {
        Connection connection = chain.connection();
        if (connection == null) {
            throw new BlockedAddressException("no connection to check for " + chain.request().url().host());
        }
        InetAddress peer = connection.socket().getInetAddress();
        if (peer == null) {
            throw new BlockedAddressException("connection to " + chain.request().url().host() + " has no peer address");
        }
        policy.check(peer, chain.request().url().host());
        return chain.proceed(chain.request());
    }

    /** Carries a DNS or policy failure through OkHttp's {@code Dns} interface. */
    private static final class ResolutionFailure extends UnknownHostException {
        final IOException cause;

        ResolutionFailure(IOException cause) {
            super(cause.getMessage());
            this.cause = cause;
            initCause(cause);
        }
    }

    /**
     * Resolves through our DnsClient and keeps only addresses the policy allows. Instances compare
     * equal so that OkHttp's connection pool (which keys connections by their Dns) can reuse a
     * connection across requests with different deadlines.
     */
    private final class PolicyDns implements Dns {
        private final Deadline deadline;

        PolicyDns(Deadline deadline) {
            this.deadline = deadline;
        }

        @Override
        public List<InetAddress> lookup(String host) throws UnknownHostException {
            if (deadline == null) {
                throw new IllegalStateException("DNS lookup for " + host + " outside a deadline");
            }
            DnsAnswer<InetAddress> answer;
            try {
                answer = dns.addresses(host, deadline);
            } catch (IOException e) {
                throw new ResolutionFailure(e);
            }
            if (answer.status() == DnsAnswer.Status.NXDOMAIN) {
                throw new UnknownHostException(host + ": no such domain (NXDOMAIN)");
            }
            if (answer.isEmpty()) {
                throw new UnknownHostException(host + " has no A or AAAA record");
            }
            List<InetAddress> allowed = new ArrayList<>();
            for (InetAddress a : answer.records()) {
                if (policy.isAllowed(a)) {
                    try {
                        // Keep the name with the address, so messages and logs can say which host it was.
                        allowed.add(InetAddress.getByAddress(host, a.getAddress()));
                    } catch (UnknownHostException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            if (allowed.isEmpty()) {
                List<String> all = answer.records().stream().map(InetAddress::getHostAddress).toList();
                throw new ResolutionFailure(new BlockedAddressException(host + " resolves to "
                        + String.join(", ", all) + "; none is a public address, refused by the network policy"));
            }
            return allowed;
        }

        private OkHttpFetcher owner() {
            return OkHttpFetcher.this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PolicyDns other && other.owner() == owner();
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(owner());
        }
    }

    /** Sockets that refuse to dial an address the policy does not allow. */
    private final class PolicySocketFactory extends SocketFactory {
        @Override
        public Socket createSocket() {
            return new PolicySocket();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            throw new UnsupportedOperationException("unconnected sockets only");
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException("unconnected sockets only");
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException("unconnected sockets only");
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException("unconnected sockets only");
        }
    }

    private final class PolicySocket extends Socket {
        PolicySocket() {
            try {
                // Without it, the end of the TLS handshake and the request wait for the server's delayed ACK.
                setTcpNoDelay(true);
            } catch (java.net.SocketException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (!(endpoint instanceof InetSocketAddress isa) || isa.isUnresolved()) {
                throw new BlockedAddressException("refusing to connect to unresolved address " + endpoint);
            }
            policy.check(isa.getAddress(), isa.getHostString());
            super.connect(endpoint, timeout);
        }
    }
}
