package org.mailsetup.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsetup.Cidr;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsJavaClient;
import org.mailsetup.internal.net.BlockedAddressException;
import org.mailsetup.internal.net.Dialer;
import org.mailsetup.internal.net.NetworkPolicy;
import org.mailsetup.testkit.FakeDnsServer;

/** The fetcher over the real DNS path: dnsjava talking to an in-process DNS server. */
class OkHttpFetcherWithDnsServerTest {

    private final TestTls tls = new TestTls();
    private FakeDnsServer dnsServer;
    private MockWebServer web;
    private OkHttpFetcher fetcher;

    @BeforeEach
    void start() throws IOException {
        dnsServer = new FakeDnsServer().start();
        web = new MockWebServer();
        web.start(InetAddress.getByName("127.0.0.1"), 0);
        fetcher = OkHttpFetcher.create(
                Dialer.create(NetworkPolicy.allowing(List.of(Cidr.parse("127.0.0.1/32"))), DnsJavaClient.using(dnsServer.address())),
                tls.clientTrust());
    }

    @AfterEach
    void stop() {
        web.close();
        dnsServer.close();
    }

    private URI url(String scheme, String host, String path) {
        return URI.create(scheme + "://" + host + ":" + web.getPort() + path);
    }

    @Test
    void resolvesThroughOurDnsNotTheSystemResolver() throws Exception {
        // "localhost" is in /etc/hosts; through our DNS it does not exist.
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(url("http", "localhost", "/")),
                Deadline.after(Duration.ofSeconds(5)))).hasMessageContaining("NXDOMAIN");
        dnsServer.a("autoconfig.example.org", "127.0.0.1");
        web.useHttps(tls.serverFor("autoconfig.example.org"));
        web.enqueue(new MockResponse.Builder().body("<ok/>").build());
        HttpResult r = fetcher.fetch(HttpRequest.get(url("https", "autoconfig.example.org", "/x")),
                Deadline.after(Duration.ofSeconds(5)));
        assertThat(r.status()).isEqualTo(200);
        assertThat(dnsServer.queryCount("autoconfig.example.org", "A")).isEqualTo(1);
    }

    @Test
    void rebindingToABlockedAddressIsRefused() throws Exception {
        dnsServer.a("rebind.example.org", "127.0.0.1");
        web.enqueue(new MockResponse.Builder().setHeader("Connection", "close").body("first").build());
        web.enqueue(new MockResponse.Builder().body("second").build());
        Deadline d = Deadline.after(Duration.ofSeconds(5));

        assertThat(fetcher.fetch(HttpRequest.get(url("http", "rebind.example.org", "/1")), d).status()).isEqualTo(200);
        dnsServer.replaceA("rebind.example.org", "127.0.0.2");

        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(url("http", "rebind.example.org", "/2")), d))
                .isInstanceOf(BlockedAddressException.class).hasMessageContaining("127.0.0.2");
        assertThat(web.getRequestCount()).isEqualTo(1);
    }

    @Test
    void dnsTimeoutEndsWithinTheDeadline() {
        dnsServer.timeout("slow.example.org");
        long start = System.nanoTime();
        assertThatThrownBy(() -> fetcher.fetch(HttpRequest.get(url("http", "slow.example.org", "/")),
                Deadline.after(Duration.ofMillis(700)))).isInstanceOf(IOException.class).hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }
}
