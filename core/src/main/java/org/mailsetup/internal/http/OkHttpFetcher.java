package org.mailsetup.internal.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Proxy;
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
import org.mailsetup.internal.net.BlockedAddressException;
import org.mailsetup.internal.net.Dialer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HttpFetcher} over OkHttp. One OkHttpClient (one connection pool) serves every request.
 *
 * <p>Guards, in the order a request meets them:
 * <ul>
 *   <li>host names are resolved only by the {@link Dialer} (our DNS, never the system resolver or
 *       /etc/hosts), under the request's deadline, and addresses the network policy refuses are
 *       dropped; if none is left the request fails with {@link BlockedAddressException};</li>
 *   <li>every socket comes from the dialer and checks the address it is about to dial, so an IP-literal
 *       URL (which OkHttp does not resolve) is refused before a TCP packet is sent;</li>
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

    /** What discovery and verification need: documents (GET, POST) and DAV's unauthenticated questions. */
    private static final Set<String> METHODS = Set.of("GET", "POST", "OPTIONS", "PROPFIND");

    private static final Set<String> FORBIDDEN_HEADERS =
            Set.of("authorization", "proxy-authorization", "cookie");

    private final OkHttpClient client;
    private final Dialer dialer;

    private OkHttpFetcher(OkHttpClient client, Dialer dialer) {
        this.client = client;
        this.dialer = dialer;
    }

    private OkHttpFetcher(Dialer dialer, X509TrustManager trust) {
        this.dialer = dialer;
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
                .dns(new DialerDns(null, null))
                .socketFactory(dialer.socketFactory())
                .sslSocketFactory(tls.getSocketFactory(), trust)
                .addInterceptor(OkHttpFetcher::applyDeadline)
                .addNetworkInterceptor(OkHttpFetcher::checkConnectedPeer)
                .connectTimeout(MAX_CONNECT)
                .readTimeout(MAX_READ)
                .writeTimeout(MAX_READ)
                .build();
    }

    /**
     * @param dialer resolves every name and opens every connection
     * @param trust  validates server certificates (see {@code TrustStores})
     */
    public static OkHttpFetcher create(Dialer dialer, X509TrustManager trust) {
        return new OkHttpFetcher(dialer, trust);
    }

    /** This fetcher (same connection pool) resolving through another dialer, e.g. a lookup's. */
    @Override
    public OkHttpFetcher using(Dialer lookupDialer) {
        return new OkHttpFetcher(client, lookupDialer);
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
            Peer peer = new Peer();
            Request okRequest = buildRequest(request.headers(), url, method, body, contentType, deadline, dialer)
                    .newBuilder().tag(Peer.class, peer).build();
            Call call = client.newCall(okRequest);
            call.timeout().timeout(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
            LOG.debug("{} {}", method, forLog(url));
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
                return new HttpResult(url.uri(), code, response.header("Content-Type"), bytes, hops, allHttps,
                        headers(response), peer.address, tls(response.handshake()));
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
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("unsupported method '" + request.method() + "' (" + METHODS + ")");
        }
        if ((method.equals("POST") || method.equals("PROPFIND")) && request.body() == null) {
            throw new IllegalArgumentException(method + " without a body");
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
                                        String contentType, Deadline deadline, Dialer dialer) {
        Request.Builder b = new Request.Builder().url(url).tag(Deadline.class, deadline).tag(Dialer.class, dialer);
        headers.forEach(b::header);
        b.header("User-Agent", USER_AGENT);
        MediaType type = contentType == null ? null : MediaType.parse(contentType);
        b.method(method, body == null ? null : RequestBody.create(body, type));
        return b.build();
    }

    /**
     * The URL without its query (autoconfig's carries the address) and with every path segment that holds an
     * {@code @} masked (a DAV URL may name the account): logs never show an address.
     */
    static String forLog(HttpUrl url) {
        StringBuilder b = new StringBuilder(url.scheme()).append("://").append(url.host());
        if (url.port() != HttpUrl.defaultPort(url.scheme())) {
            b.append(':').append(url.port());
        }
        for (String segment : url.encodedPathSegments()) {
            b.append('/').append(segment.contains("@") || segment.toLowerCase(Locale.ROOT).contains("%40") ? "…" : segment);
        }
        return b.toString();
    }

    private static Map<String, List<String>> headers(Response response) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (String name : response.headers().names()) {
            out.put(name.toLowerCase(Locale.ROOT), response.headers(name));
        }
        return out;
    }

    private static HttpResult.Tls tls(okhttp3.Handshake handshake) {
        if (handshake == null) {
            return null;
        }
        String subject = null;
        String issuer = null;
        String expires = null;
        if (!handshake.peerCertificates().isEmpty()
                && handshake.peerCertificates().getFirst() instanceof java.security.cert.X509Certificate leaf) {
            subject = leaf.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
            issuer = leaf.getIssuerX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
            expires = leaf.getNotAfter().toInstant().toString();
        }
        return new HttpResult.Tls(handshake.tlsVersion().javaName(), handshake.cipherSuite().javaName(), subject,
                issuer, expires);
    }

    /** Where the network interceptor notes the peer of the connection a request went out on. */
    private static final class Peer {
        volatile String address;
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

    /** Gives each call the DNS adapter (its dialer, under its deadline) and timeouts of its own deadline. */
    private static Response applyDeadline(Interceptor.Chain chain) throws IOException {
        Deadline deadline = chain.request().tag(Deadline.class);
        if (deadline == null) {
            throw new IllegalStateException("request without a deadline");
        }
        return chain.withDns(new DialerDns(chain.request().tag(Dialer.class), deadline))
                .withConnectTimeout(millis(deadline.cap(MAX_CONNECT)), TimeUnit.MILLISECONDS)
                .withReadTimeout(millis(deadline.cap(MAX_READ)), TimeUnit.MILLISECONDS)
                .withWriteTimeout(millis(deadline.cap(MAX_READ)), TimeUnit.MILLISECONDS)
                .proceed(chain.request());
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** Runs on the connection chosen for the request, before the request is written to it. */
    private static Response checkConnectedPeer(Interceptor.Chain chain) throws IOException {
        Connection connection = chain.connection();
        if (connection == null) {
            throw new BlockedAddressException("no connection to check for " + chain.request().url().host());
        }
        InetAddress peer = connection.socket().getInetAddress();
        if (peer == null) {
            throw new BlockedAddressException("connection to " + chain.request().url().host() + " has no peer address");
        }
        chain.request().tag(Dialer.class).check(peer, chain.request().url().host());
        Peer noted = chain.request().tag(Peer.class);
        if (noted != null) {
            noted.address = peer.getHostAddress();
        }
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
     * OkHttp's view of the {@link Dialer}: its addresses for a name, with the name kept beside each address
     * for messages and logs. Instances compare equal so that OkHttp's connection pool (which keys connections
     * by their Dns) can reuse a connection across requests with different deadlines and lookups; the network
     * interceptor checks every connection's peer before a request is written to it.
     */
    private record DialerDns(Dialer dialer, Deadline deadline) implements Dns {
        @Override
        public List<InetAddress> lookup(String host) throws UnknownHostException {
            if (deadline == null) {
                throw new IllegalStateException("DNS lookup for " + host + " outside a deadline");
            }
            List<InetAddress> allowed;
            try {
                allowed = dialer.resolve(host, deadline);
            } catch (UnknownHostException e) {
                throw e;
            } catch (IOException e) {
                throw new ResolutionFailure(e);
            }
            List<InetAddress> named = new ArrayList<>();
            for (InetAddress a : allowed) {
                try {
                    named.add(InetAddress.getByAddress(host, a.getAddress()));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
            return named;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DialerDns;
        }

        @Override
        public int hashCode() {
            return DialerDns.class.hashCode();
        }
    }
}
