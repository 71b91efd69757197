package org.mailsetup.service.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.mailsetup.MailSetup;
import org.mailsetup.SourceName;
import org.mailsetup.testkit.FakeDnsServer;

/**
 * A running server over real discovery against an in-process DNS: {@code example.test} publishes RFC
 * 6186/8314 SRV records for IMAP, POP3 and submission inside the domain (so they are trusted), and
 * discovery runs without probes (verify off) so answers are deterministic. Only loopback is used.
 */
public final class Fixture implements AutoCloseable {

    static final String DOMAIN = "example.test";

    final FakeDnsServer dns;
    final MailSetupServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Fixture(FakeDnsServer dns, MailSetupServer server) {
        this.dns = dns;
        this.server = server;
    }

    /** Wraps a server started by the test itself (e.g. one that is not ready yet). */
    static Fixture of(FakeDnsServer dns, MailSetupServer server) {
        return new Fixture(dns, server);
    }

    public static FakeDnsServer dns() throws IOException {
        FakeDnsServer dns = new FakeDnsServer().start();
        publish(dns, DOMAIN);
        dns.nxdomain("nowhere.test").servfail("broken.test");
        return dns;
    }

    /** SRV records for a mail domain whose servers live inside it. */
    public static void publish(FakeDnsServer dns, String domain) {
        dns.zone(domain)
                .mx(domain, 10, "mx." + domain)
                .a("mx." + domain, "192.0.2.25")
                .srv("_imaps._tcp." + domain, 0, 1, 993, "imap." + domain)
                .srv("_imap._tcp." + domain, 10, 1, 143, "imap." + domain)
                .srv("_pop3s._tcp." + domain, 20, 1, 995, "pop." + domain)
                .srv("_submissions._tcp." + domain, 0, 1, 465, "smtp." + domain)
                .srv("_submission._tcp." + domain, 10, 1, 587, "smtp." + domain)
                .a("imap." + domain, "192.0.2.10")
                .a("pop." + domain, "192.0.2.11")
                .a("smtp." + domain, "192.0.2.12");
    }

    /**
     * Discovery against the fake DNS: SRV, MX and the provider database only, no probes. The fixture's
     * servers live on a documentation network, allowed here as an operator allows an internal one (nothing
     * connects to them: only the network-policy check of their names runs).
     */
    public static MailSetup.Builder discovery(FakeDnsServer dns, Duration timeout) {
        return MailSetup.builder()
                .dnsServer(dns.address())
                .allowNetwork("192.0.2.0/24")
                .timeout(timeout)
                .verify(false)
                .disable(SourceName.ISPDB, SourceName.AUTOCONFIG, SourceName.AUTODISCOVER, SourceName.PACC,
                        SourceName.GUESS);
    }

    static Fixture start(ServeSettings settings) throws Exception {
        // A generous discovery deadline: tests that need slowness set it per name with FakeDnsServer.delay.
        return start(settings, OwnEntries.none(), Duration.ofSeconds(8));
    }

    static Fixture start(ServeSettings settings, OwnEntries own, Duration discoveryTimeout) throws Exception {
        FakeDnsServer dns = dns();
        return start(dns, settings, own, () -> MailSetupLookups.build(discovery(dns, discoveryTimeout), false));
    }

    static Fixture start(FakeDnsServer dns, ServeSettings settings, OwnEntries own, Callable<Lookups> lookups)
            throws Exception {
        MailSetupServer server = MailSetupServer.start(settings, own, lookups);
        server.ready().toCompletionStage().toCompletableFuture().get();
        return new Fixture(dns, server);
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with extra headers, given as name, value, name, value… */
    HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String path, String contentType, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String q(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
        dns.close();
        http.close();
    }
}
