package org.mailsetup.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsetup.Cidr;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsJavaClient;
import org.mailsetup.testkit.FakeDnsServer;

/** The dialer's scan limits: a few addresses per name and family, a bounded number of connections per lookup. */
class DialerTest {

    private FakeDnsServer dns;
    private Dialer dialer;

    @BeforeEach
    void start() throws Exception {
        dns = new FakeDnsServer().start();
        dialer = Dialer.create(NetworkPolicy.allowing(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"))),
                DnsJavaClient.using(dns.address()));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void aNameYieldsTheFirstTwoAddressesOfEachFamilyInAnswerOrder() throws Exception {
        for (int i = 2; i <= 7; i++) {
            dns.a("many.example.org", "127.0.0." + i);
        }
        dns.aaaa("many.example.org", "::1");
        Dialer lookup = dialer.forLookup();

        List<InetAddress> tried = lookup.resolve("many.example.org", Deadline.after(Duration.ofSeconds(3)));

        assertThat(tried).extracting(InetAddresses::toAddrString).containsExactly("127.0.0.2", "127.0.0.3", "::1");
        assertThat(lookup.limitsReached()).singleElement().asString()
                .contains("many.example.org has 7 addresses", "first 2 of each family");
        // The shared dialer caps too, but keeps no notes: it would collect them forever.
        assertThat(dialer.resolve("many.example.org", Deadline.after(Duration.ofSeconds(3)))).hasSize(3);
        assertThat(dialer.limitsReached()).isEmpty();
    }

    @Test
    void aFewAddressesAreNoLimitReached() throws Exception {
        dns.a("two.example.org", "127.0.0.2").a("two.example.org", "127.0.0.3");
        Dialer lookup = dialer.forLookup();

        assertThat(lookup.resolve("two.example.org", Deadline.after(Duration.ofSeconds(3)))).hasSize(2);
        assertThat(lookup.limitsReached()).isEmpty();
    }

    @Test
    void aLookupOpensABoundedNumberOfConnections() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
            Dialer lookup = dialer.forLookup();
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < Dialer.CONNECTIONS_PER_LOOKUP; i++) {
                    open.add(lookup.connect(server.getInetAddress(), server.getLocalPort(), Duration.ofSeconds(2), "h"));
                }
                assertThatThrownBy(() -> lookup.connect(server.getInetAddress(), server.getLocalPort(),
                        Duration.ofSeconds(2), "h")).isInstanceOf(BlockedAddressException.class)
                        .hasMessageContaining("already opened " + Dialer.CONNECTIONS_PER_LOOKUP);
                assertThat(lookup.limitsReached()).singleElement().asString().contains("limit of 64 connections");
                // Another lookup has its own allowance.
                open.add(dialer.forLookup().connect(server.getInetAddress(), server.getLocalPort(),
                        Duration.ofSeconds(2), "h"));
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }
}
