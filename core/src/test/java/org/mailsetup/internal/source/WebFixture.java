package org.mailsetup.internal.source;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.mailsetup.Cidr;
import org.mailsetup.EmailAddress;
import org.mailsetup.ProviderIndex;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.discovery.DiscoverySettings;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.dns.DnsJavaClient;
import org.mailsetup.internal.http.OkHttpFetcher;
import org.mailsetup.internal.http.TestTls;
import org.mailsetup.internal.net.Dialer;
import org.mailsetup.internal.net.NetworkPolicy;
import org.mailsetup.testkit.FakeDnsServer;

/**
 * One https and one http MockWebServer on 127.0.0.1, an in-process DNS server, and the real fetcher
 * wired to them, so a source runs exactly as in production but against loopback. Responses are routed
 * by method (when a route names one), scheme, Host and path (query ignored); anything unrouted answers 404.
 */
public final class WebFixture implements AutoCloseable {

    public final TestTls tls = new TestTls();
    public final FakeDnsServer dns;
    public final MockWebServer https = new MockWebServer();
    public final MockWebServer http = new MockWebServer();
    public final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, MockResponse> routes = new ConcurrentHashMap<>();
    private final OkHttpFetcher fetcher;

    public WebFixture() throws IOException {
        dns = new FakeDnsServer().start();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        https.useHttps(tls.serverFor("example.org", "*.example.org", "*.mail.example.org", "example.net", "*.example.net"));
        https.setDispatcher(new Router("https"));
        http.setDispatcher(new Router("http"));
        https.start(loopback, 0);
        http.start(loopback, 0);
        fetcher = OkHttpFetcher.create(
                Dialer.create(NetworkPolicy.allowing(List.of(Cidr.parse("127.0.0.0/8"))), DnsJavaClient.using(dns.address())),
                tls.clientTrust());
    }

    /** Names that resolve to the web servers. */
    public WebFixture hosts(String... names) {
        for (String n : names) {
            dns.a(n, "127.0.0.1");
        }
        return this;
    }

    /** Serves this response at scheme://host/path (path without query). */
    public WebFixture route(String scheme, String host, String path, MockResponse response) {
        routes.put(scheme + "://" + host + path, response);
        return this;
    }

    /** Serves this response to this method only (OPTIONS, PROPFIND, ...) at scheme://host/path. */
    public WebFixture route(String method, String scheme, String host, String path, MockResponse response) {
        routes.put(method + " " + scheme + "://" + host + path, response);
        return this;
    }

    public DiscoverySettings settings() {
        return new DiscoverySettings(URI.create("https://ispdb.example.net:" + https.getPort() + "/v1.1/"),
                http.getPort(), https.getPort());
    }

    public String httpsUrl(String host, String path) {
        return "https://" + host + ":" + https.getPort() + path;
    }

    public String httpUrl(String host, String path) {
        return "http://" + host + ":" + http.getPort() + path;
    }

    public LookupContext context(String email, Duration timeout) {
        return context(email, timeout, settings());
    }

    public LookupContext context(String email, Duration timeout, DiscoverySettings settings) {
        return new LookupContext(EmailAddress.parse(email), Deadline.after(timeout),
                Dialer.create(NetworkPolicy.allowing(List.of(Cidr.parse("127.0.0.0/8"))), DnsJavaClient.using(dns.address())),
                fetcher, ProviderIndex.empty(), settings);
    }

    public List<String> requested() {
        return requests.stream().map(r -> r.getUrl().scheme() + "://" + r.getUrl().host() + r.getTarget()).toList();
    }

    @Override
    public void close() {
        https.close();
        http.close();
        dns.close();
    }

    public static MockResponse xml(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/xml").body(body).build();
    }

    public static MockResponse status(int code, String... headerPairs) {
        MockResponse.Builder b = new MockResponse.Builder().code(code);
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            b.addHeader(headerPairs[i], headerPairs[i + 1]);
        }
        return b.build();
    }

    public static MockResponse redirect(String location) {
        return new MockResponse.Builder().code(302).setHeader("Location", location).build();
    }

    private final class Router extends Dispatcher {
        private final String scheme;

        Router(String scheme) {
            this.scheme = scheme;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            requests.add(request);
            String host = request.getUrl().host();
            String path = request.getUrl().encodedPath();
            MockResponse r = routes.getOrDefault(request.getMethod() + " " + scheme + "://" + host + path,
                    routes.get(scheme + "://" + host + path));
            return r != null ? r : new MockResponse.Builder().code(404).body("not found").build();
        }
    }
}
