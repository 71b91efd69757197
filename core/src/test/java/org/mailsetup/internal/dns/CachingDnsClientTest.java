package org.mailsetup.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsetup.internal.Deadline;
import org.mailsetup.testkit.FakeDnsServer;

class CachingDnsClientTest {

    private FakeDnsServer dns;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private CachingDnsClient client;

    @BeforeEach
    void start() throws Exception {
        dns = new FakeDnsServer().start().ttl(300).a("imap.example.org", "192.0.2.10").servfail("broken.example.org");
        client = new CachingDnsClient(DnsJavaClient.using(dns.address()), threads);
    }

    @AfterEach
    void stop() {
        dns.close();
        threads.shutdownNow();
    }

    private static Deadline soon() {
        return Deadline.after(Duration.ofSeconds(3));
    }

    @Test
    void answersAreRememberedAndConcurrentAskersShareOneQuery() throws Exception {
        dns.delay("imap.example.org", Duration.ofMillis(200));
        List<Future<DnsAnswer<InetAddress>>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(threads.submit(() -> client.addresses("imap.example.org", soon())));
        }
        for (Future<DnsAnswer<InetAddress>> f : all) {
            assertThat(f.get().records()).extracting(InetAddress::getHostAddress).containsExactly("192.0.2.10");
        }
        client.addresses("IMAP.example.org", soon());
        assertThat(dns.queryCount("imap.example.org", "A")).isEqualTo(1);

        client.clear();
        client.addresses("imap.example.org", soon());
        assertThat(dns.queryCount("imap.example.org", "A")).isEqualTo(2);
    }

    @Test
    void failuresAreNotRemembered() {
        assertThatThrownBy(() -> client.addresses("broken.example.org", soon())).isInstanceOf(DnsException.class)
                .hasMessageContaining("SERVFAIL");
        assertThatThrownBy(() -> client.addresses("broken.example.org", soon())).isInstanceOf(DnsException.class);
        assertThat(dns.queryCount("broken.example.org", "A")).isEqualTo(2);
    }

    /**
     * The cache forgets a failure in a completion callback that may run after the waiting asker has
     * woken up; the very next ask from the same thread must still query again. Many names make the
     * race show up on any machine.
     */
    @Test
    void theAskRightAfterAFailureQueriesAgain() {
        for (int i = 0; i < 200; i++) {
            String name = "broken" + i + ".example.org";
            dns.servfail(name);
            assertThatThrownBy(() -> client.addresses(name, soon())).isInstanceOf(DnsException.class);
            assertThatThrownBy(() -> client.addresses(name, soon())).isInstanceOf(DnsException.class);
            assertThat(dns.queryCount(name, "A")).as(name).isEqualTo(2);
        }
    }

    @Test
    void aWaitingAskerKeepsItsOwnDeadline() {
        dns.delay("imap.example.org", Duration.ofSeconds(2));
        threads.submit(() -> client.addresses("imap.example.org", Deadline.after(Duration.ofSeconds(5))));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client.addresses("imap.example.org", Deadline.after(Duration.ofMillis(300))))
                .hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1_000));
    }
}
