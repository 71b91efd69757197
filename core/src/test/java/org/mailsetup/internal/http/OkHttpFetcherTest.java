package org.mailsetup.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsetup.Cidr;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.net.BlockedAddressException;
import org.mailsetup.internal.net.Dialer;
import org.mailsetup.internal.net.NetworkPolicy;
import org.mailsetup.internal.net.TrustStores;

class OkHttpFetcherTest {

    private static final NetworkPolicy ONLY_127_0_0_1 = NetworkPolicy.allowing(List.of(Cidr.parse("127.0.0.1/32")));

    private final TestTls tls = new TestTls();
    private final FakeDnsClient dns = new FakeDnsClient()
            .a("example.org", "127.0.0.1")
            .a("autoconfig.example.org", "127.0.0.1")
            .a("other.example.net", "127.0.0.1")
            .a("evil.example.net", "127.0.0.2");
    private final OkHttpFetcher fetcher = OkHttpFetcher.create(Dialer.create(ONLY_127_0_0_1, dns), tls.clientTrust());
    private MockWebServer server;
    private MockWebServer second;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        server.close();
        if (second != null) {
            second.close();
        }
    }

    private URI http(String host, String path) {
        return URI.create("http://" + host + ":" + server.getPort() + path);
    }

    private URI https(String host, String path) {
        return URI.create("https://" + host + ":" + server.getPort() + path);
    }

    private static Deadline seconds(long s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    private static MockResponse ok(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/xml").body(body).build();
    }

    private static MockResponse redirect(int code, String location) {
        return new MockResponse.Builder().code(code).setHeader("Location", location).build();
    }

    @Test
    void getsOverHttpWithoutCredentialsOrCookies() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/xml")
                .setHeader("Set-Cookie", "session=1").body("<x/>").build());
        server.enqueue(ok("<y/>"));

        HttpResult r = fetcher.fetch(HttpRequest.get(http("autoconfig.example.org", "/a")), seconds(5));
        fetcher.fetch(HttpRequest.get(http("autoconfig.example.org", "/b")), seconds(5));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("text/xml");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("<x/>");
        assertThat(r.hops()).containsExactly(http("autoconfig.example.org", "/a"));
        assertThat(r.finalUrl()).isEqualTo(http("autoconfig.example.org", "/a"));
        assertThat(r.allHttps()).isFalse();
        RecordedRequest first = server.takeRequest();
        assertThat(first.getHeaders().get("User-Agent")).isEqualTo("mailsetup/0.1");
        assertThat(first.getHeaders().get("Authorization")).isNull();
        RecordedRequest secondRequest = server.takeRequest();
        assertThat(secondRequest.getHeaders().get("Cookie")).isNull();
        assertThat(dns.lookups("autoconfig.example.org")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void non2xxIsAResultNotAnException() throws Exception {
        server.enqueue(new MockResponse.Builder().code(404).body("not here").build());
        HttpResult r = fetcher.fetch(HttpRequest.get(http("example.org", "/x")), seconds(5));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.isSuccess()).isFalse();
    }

    @Test
    void unauthorizedIsNotRetriedWithCredentials() throws Exception {
        server.enqueue(new MockResponse.Builder().code(401).setHeader("WWW-Authenticate", "Basic realm=\"x\"").build());
        HttpResult r = fetcher.fetch(HttpRequest.get(http("example.org", "/x")), seconds(5));
        assertThat(r.status()).isEqualTo(401);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void refusesCredentialHeaders() {
        HttpRequest req = HttpRequest.get(http("example.org", "/")).withHeader("Authorization", "Basic eDp5");
        assertThatThrownBy(() -> fetcher.fetch(req, seconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentials");
    }

    @Test
    void refusesNonHttpUrls() {
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(URI.create("file:///etc/passwd")), seconds(5)))
                .isInstanceOf(IOException.class).hasMessageContaining("not an http or https URL");
    }

    @Test
    void unknownHostSaysNxdomain() {
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(http("nowhere.example.org", "/")), seconds(5)))
                .isInstanceOf(UnknownHostException.class).hasMessageContaining("nowhere.example.org")
                .hasMessageContaining("NXDOMAIN");
    }

    @Test
    void httpsWithTrustedCa() throws Exception {
        server.useHttps(tls.serverFor("autoconfig.example.org"));
        server.enqueue(ok("<secure/>"));
        HttpResult r = fetcher.fetch(HttpRequest.get(https("autoconfig.example.org", "/c")), seconds(5));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("<secure/>");
        assertThat(r.allHttps()).isTrue();
    }

    @Test
    void selfSignedCertificateIsRejected() {
        server.useHttps(TestTls.selfSigned("autoconfig.example.org"));
        server.enqueue(ok("<secure/>"));
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(https("autoconfig.example.org", "/")), seconds(5)))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void certificateForAnotherHostIsRejected() {
        server.useHttps(tls.serverFor("other.example.net"));
        server.enqueue(ok("<secure/>"));
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(https("autoconfig.example.org", "/")), seconds(5)))
                .isInstanceOf(SSLPeerUnverifiedException.class).hasMessageContaining("autoconfig.example.org");
    }

    @Test
    void defaultTrustDoesNotKnowTheTestCa() {
        server.useHttps(tls.serverFor("autoconfig.example.org"));
        server.enqueue(ok("<secure/>"));
        OkHttpFetcher strict = OkHttpFetcher.create(Dialer.create(ONLY_127_0_0_1, dns), TrustStores.defaults());
        assertThatThrownBy(() -> strict.fetch(HttpRequest.get(https("autoconfig.example.org", "/")), seconds(5)))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void followsRelativeRedirect() throws Exception {
        server.enqueue(redirect(301, "/new/place?x=1"));
        server.enqueue(ok("<moved/>"));
        HttpResult r = fetcher.fetch(HttpRequest.get(http("example.org", "/old")), seconds(5));
        assertThat(r.hops()).containsExactly(http("example.org", "/old"), http("example.org", "/new/place?x=1"));
        assertThat(r.finalUrl()).isEqualTo(http("example.org", "/new/place?x=1"));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("<moved/>");
    }

    @Test
    void followsCrossHostRedirectResolvingTheNewHost() throws Exception {
        server.enqueue(redirect(302, http("other.example.net", "/there").toString()));
        server.enqueue(ok("<there/>"));
        HttpResult r = fetcher.fetch(HttpRequest.get(http("example.org", "/here")), seconds(5));
        assertThat(r.finalUrl().getHost()).isEqualTo("other.example.net");
        assertThat(dns.lookups("other.example.net")).isEqualTo(1);
        server.takeRequest();
        assertThat(server.takeRequest().getHeaders().get("Host")).startsWith("other.example.net");
    }

    @Test
    void stopsRedirectLoops() {
        server.enqueue(redirect(302, "/b"));
        server.enqueue(redirect(302, "/a"));
        server.enqueue(ok("never"));
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(http("example.org", "/a")).withMaxRedirects(10),
                seconds(5))).isInstanceOf(IOException.class).hasMessageContaining("redirect loop");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void stopsAfterMaxRedirects() {
        server.enqueue(redirect(302, "/1"));
        server.enqueue(redirect(302, "/2"));
        server.enqueue(redirect(302, "/3"));
        server.enqueue(ok("never"));
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(http("example.org", "/0")).withMaxRedirects(2),
                seconds(5))).isInstanceOf(IOException.class).hasMessageContaining("too many redirects");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void redirectWithoutLocationIsTheResult() throws Exception {
        server.enqueue(new MockResponse.Builder().code(302).body("nowhere to go").build());
        HttpResult r = fetcher.fetch(HttpRequest.get(http("example.org", "/")), seconds(5));
        assertThat(r.status()).isEqualTo(302);
    }

    @Test
    void httpsToHttpDowngradeClearsAllHttps() throws Exception {
        second = new MockWebServer();
        second.start(InetAddress.getByName("127.0.0.1"), 0);
        second.enqueue(ok("<plain/>"));
        server.useHttps(tls.serverFor("autoconfig.example.org"));
        server.enqueue(redirect(301, "http://example.org:" + second.getPort() + "/plain"));

        HttpResult r = fetcher.fetch(HttpRequest.get(https("autoconfig.example.org", "/s")), seconds(5));

        assertThat(r.hops()).hasSize(2);
        assertThat(r.hops().get(0).getScheme()).isEqualTo("https");
        assertThat(r.finalUrl().getScheme()).isEqualTo("http");
        assertThat(r.allHttps()).isFalse();
    }

    @Test
    void redirectToBlockedAddressIsRefusedBeforeConnecting() {
        server.enqueue(redirect(302, "http://evil.example.net:" + server.getPort() + "/steal"));
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(http("example.org", "/")), seconds(5)))
                .isInstanceOf(BlockedAddressException.class)
                .hasMessageContaining("evil.example.net").hasMessageContaining("127.0.0.2");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void ipLiteralUrlsAreCheckedAtConnectTime() {
        // OkHttp does not resolve IP literals, so only the socket-level check stands in the way.
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(URI.create("http://127.0.0.2:" + server.getPort() + "/")),
                seconds(5))).isInstanceOf(BlockedAddressException.class).hasMessageContaining("127.0.0.2");
    }

    @Test
    void redirectToBlockedIpLiteralIsRefused() {
        server.enqueue(redirect(307, "http://[::ffff:127.0.0.2]:" + server.getPort() + "/"));
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(http("example.org", "/")), seconds(5)))
                .isInstanceOf(BlockedAddressException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void ipLiteralAllowedByPolicyWorks() throws Exception {
        server.enqueue(ok("<lit/>"));
        HttpResult r = fetcher.fetch(HttpRequest.get(URI.create("http://127.0.0.1:" + server.getPort() + "/")),
                seconds(5));
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void keepsOnlyAllowedAddressesOfAnAnswer() throws Exception {
        dns.a("mixed.example.org", "127.0.0.2", "127.0.0.1");
        server.enqueue(ok("<mixed/>"));
        HttpResult r = fetcher.fetch(HttpRequest.get(http("mixed.example.org", "/")), seconds(5));
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void rebindingBetweenLookupsIsRefused() throws Exception {
        // First lookup: an allowed address. Every later lookup: a refused one.
        dns.a("rebind.example.org", "127.0.0.1").then("rebind.example.org", "127.0.0.2");
        // The first hop closes its connection, so the redirect to the same host must dial (and resolve) again.
        server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "/second")
                .setHeader("Connection", "close").build());
        server.enqueue(ok("<secret/>"));

        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(http("rebind.example.org", "/first")), seconds(5)))
                .isInstanceOf(BlockedAddressException.class).hasMessageContaining("127.0.0.2");
        assertThat(dns.lookups("rebind.example.org")).isEqualTo(2);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void rebindingBetweenFetchesIsRefused() throws Exception {
        dns.a("rebind.example.org", "127.0.0.1").then("rebind.example.org", "127.0.0.2");
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Connection", "close").body("one").build());
        server.enqueue(ok("two"));
        fetcher.fetch(HttpRequest.get(http("rebind.example.org", "/1")), seconds(5));
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(http("rebind.example.org", "/2")), seconds(5)))
                .isInstanceOf(BlockedAddressException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void postBecomesGetOn302() throws Exception {
        server.enqueue(redirect(302, "/next"));
        server.enqueue(ok("<done/>"));
        byte[] body = "<req/>".getBytes(StandardCharsets.UTF_8);
        fetcher.fetch(HttpRequest.post(http("example.org", "/start"), body, "text/xml"), seconds(5));
        RecordedRequest first = server.takeRequest();
        RecordedRequest next = server.takeRequest();
        assertThat(first.getMethod()).isEqualTo("POST");
        assertThat(first.getBody().utf8()).isEqualTo("<req/>");
        assertThat(first.getHeaders().get("Content-Type")).startsWith("text/xml");
        assertThat(next.getMethod()).isEqualTo("GET");
        assertThat(next.getBodySize()).isZero();
    }

    @Test
    void postIsKeptOn307() throws Exception {
        server.enqueue(redirect(307, "/next"));
        server.enqueue(ok("<done/>"));
        fetcher.fetch(HttpRequest.post(http("example.org", "/start"), "<req/>".getBytes(StandardCharsets.UTF_8),
                "text/xml"), seconds(5));
        server.takeRequest();
        RecordedRequest next = server.takeRequest();
        assertThat(next.getMethod()).isEqualTo("POST");
        assertThat(next.getBody().utf8()).isEqualTo("<req/>");
    }

    @Test
    void bodyAtTheCapIsAccepted() throws Exception {
        server.enqueue(ok("x".repeat(1000)));
        HttpRequest req = new HttpRequest("GET", http("example.org", "/"), Map.of(), null, null, 1000, 0);
        assertThat(fetcher.fetch(req, seconds(5)).body()).hasSize(1000);
    }

    @Test
    void contentLengthOverTheCapFailsFast() {
        server.enqueue(ok("x".repeat(1001)));
        HttpRequest req = new HttpRequest("GET", http("example.org", "/"), Map.of(), null, null, 1000, 0);
        assertThatThrownBy(() -> fetcher.fetch(req, seconds(5)))
                .isInstanceOf(IOException.class).hasMessageContaining("response body is larger than 1000 bytes");
    }

    @Test
    void chunkedBodyOverTheCapFails() {
        // 10 MB without Content-Length: must be cut off after the cap, not buffered.
        server.enqueue(new MockResponse.Builder().code(200).chunkedBody("x".repeat(10 * 1024 * 1024), 64 * 1024).build());
        HttpRequest req = new HttpRequest("GET", http("example.org", "/"), Map.of(), null, null, 64 * 1024, 0);
        assertThatThrownBy(() -> fetcher.fetch(req, seconds(10)))
                .isInstanceOf(IOException.class).hasMessageContaining("response body is larger than 65536 bytes");
    }

    @Test
    void capAppliesToDecodedGzipBytes() throws Exception {
        byte[] small = gzip("y".repeat(500));
        byte[] bomb = gzip("z".repeat(500_000));
        assertThat(bomb.length).isLessThan(1000);
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Encoding", "gzip")
                .body(new Buffer().write(small)).build());
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Encoding", "gzip")
                .body(new Buffer().write(bomb)).build());
        HttpRequest req = new HttpRequest("GET", http("example.org", "/"), Map.of(), null, null, 1000, 0);

        assertThat(new String(fetcher.fetch(req, seconds(5)).body(), StandardCharsets.UTF_8)).isEqualTo("y".repeat(500));
        assertThatThrownBy(() -> fetcher.fetch(req, seconds(5)))
                .isInstanceOf(IOException.class).hasMessageContaining("larger than 1000 bytes");
    }

    @Test
    void slowBodyEndsWithinTheDeadline() {
        server.enqueue(new MockResponse.Builder().code(200).body("x".repeat(100))
                .throttleBody(1, 1, TimeUnit.SECONDS).build());
        long start = System.nanoTime();
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(http("example.org", "/")),
                Deadline.after(Duration.ofMillis(1500))))
                .isInstanceOf(InterruptedIOException.class).hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
    }

    @Test
    void slowHeadersEndWithinTheDeadline() {
        server.enqueue(new MockResponse.Builder().code(200).body("late").headersDelay(10, TimeUnit.SECONDS).build());
        long start = System.nanoTime();
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(http("example.org", "/")),
                Deadline.after(Duration.ofMillis(800))))
                .isInstanceOf(InterruptedIOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void expiredDeadlineSendsNothing() {
        Deadline past = Deadline.after(Duration.ZERO);
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(http("example.org", "/")), past))
                .isInstanceOf(InterruptedIOException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    private static byte[] gzip(String s) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void whatTheDebugLogShowsOfAUrlNamesNoAddress() {
        assertThat(OkHttpFetcher.forLog(okhttp3.HttpUrl.get(
                "https://dav.example.org:8443/card/ann%40example.org/x?emailaddress=ann%40example.org")))
                .isEqualTo("https://dav.example.org:8443/card/…/x");
        assertThat(OkHttpFetcher.forLog(okhttp3.HttpUrl.get("http://example.org/cal/bob@example.org/")))
                .isEqualTo("http://example.org/cal/…/");
    }
}
