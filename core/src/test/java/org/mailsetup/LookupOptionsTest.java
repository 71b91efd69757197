package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mailsetup.testkit.FakeDnsServer;

/** Options per call, on one MailSetup: the builder gives the defaults. */
class LookupOptionsTest {

    @Test
    void verificationAndTimeoutAreChosenPerCall() throws Exception {
        try (FakeDnsServer dns = new FakeDnsServer().start();
             MailSetup m = MailSetup.builder().dnsServer(dns.address()).allowNetwork("127.0.0.0/8")
                     .timeout(Duration.ofSeconds(3)).build()) {
            // Port 1 on loopback: nothing listens, so a probe fails at once.
            dns.mx("options.test", 10, "mx.options.test")
                    .srv("_imaps._tcp.options.test", 0, 1, 1, "imap.options.test")
                    .a("imap.options.test", "127.0.0.1");

            assertThat(m.defaults()).isEqualTo(new LookupOptions(Duration.ofSeconds(3), true));
            ServerSettings probed = m.lookup("ann@options.test").join().incoming().getFirst();
            assertThat(probed.probe()).isNotNull();
            assertThat(probed.probe().failure()).startsWith("connection refused");

            DiscoveryResult quick = m.lookup("ann@options.test", m.defaults().withVerify(false)).join();
            assertThat(quick.incoming().getFirst().probe()).isNull();
            assertThat(quick.incoming().getFirst().verified()).isFalse();

            // An address parsed once can be passed down as it is.
            DiscoveryResult parsed = m.lookup(EmailAddress.parse("ann@options.test"),
                    m.defaults().withVerify(false).withTimeout(Duration.ofSeconds(2))).join();
            assertThat(parsed.incoming()).extracting(ServerSettings::host).containsOnly("imap.options.test");
            assertThat(parsed.incoming()).noneMatch(s -> s.probe() != null);
        }
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThatThrownBy(() -> new LookupOptions(Duration.ZERO, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive");
    }

    @Test
    void mailIsAlwaysCoveredAndTheBuilderDefaultIsMailOnly() {
        LookupOptions mailOnly = new LookupOptions(Duration.ofSeconds(1), true);
        assertThat(mailOnly.services()).containsExactly(Service.MAIL);
        assertThat(mailOnly.withServices(Service.CONTACTS).services())
                .containsExactlyInAnyOrder(Service.MAIL, Service.CONTACTS);
        assertThat(mailOnly.withServices(java.util.Set.of()).covers(Service.MAIL)).isTrue();
        assertThat(Service.fromId(" JMAP ")).isEqualTo(Service.JMAP);
        assertThatThrownBy(() -> Service.fromId("fax")).hasMessageContaining("unknown service 'fax'");
        try (MailSetup m = MailSetup.builder().build()) {
            assertThat(m.defaults().services()).containsExactly(Service.MAIL);
        }
        try (MailSetup m = MailSetup.builder().services(Service.values()).build()) {
            assertThat(m.defaults().services()).containsExactlyInAnyOrder(Service.values());
        }
    }
}
