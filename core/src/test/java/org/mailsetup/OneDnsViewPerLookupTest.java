package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsetup.testkit.FakeDnsServer;
import org.mailsetup.testkit.ScriptedMailServer;

/**
 * One lookup, one DNS view: the first address answer for a name is what every source and probe of the
 * lookup uses, even when the name has TTL 0 and the next answer would be an address the policy refuses.
 */
class OneDnsViewPerLookupTest {

    private static final HeldCertificate CA =
            new HeldCertificate.Builder().certificateAuthority(0).commonName("test CA").build();

    private FakeDnsServer dns;
    private ScriptedMailServer imap;

    @BeforeEach
    void start() throws Exception {
        HeldCertificate leaf = new HeldCertificate.Builder().signedBy(CA).commonName("mail.pin.test")
                .addSubjectAlternativeName("mail.pin.test").build();
        imap = ScriptedMailServer.builder()
                .implicitTls(new HandshakeCertificates.Builder().heldCertificate(leaf, CA.certificate()).build()
                        .sslContext())
                .send("* OK ready")
                .expect("a1 CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
                .send("a1 OK done")
                .expect("a2 LOGOUT")
                .send("a2 OK bye")
                .start();
        dns = new FakeDnsServer().start();
        dns.ttl(0)
                .mx("pin.test", 10, "mx.pin.test")
                // Every A query gets the other address: loopback (allowed here), then a private one (refused).
                .alternateA("mail.pin.test", "127.0.0.1", "10.1.2.3")
                .srv("_imaps._tcp.pin.test", 0, 1, imap.port(), "mail.pin.test")
                // The SRV answer comes late, so the guess source has resolved mail.pin.test before the probe.
                .delay("_imaps._tcp.pin.test", Duration.ofMillis(400));
    }

    @AfterEach
    void stop() {
        imap.close();
        dns.close();
    }

    @Test
    void theLookupVerifiesViaItsFirstAnswerAndNeverSeesTheSecond() {
        try (MailSetup m = MailSetup.builder().dnsServer(dns.address()).allowNetwork("127.0.0.0/8")
                .trustCertificates(List.of(CA.certificate())).timeout(Duration.ofSeconds(4)).build()) {
            DiscoveryResult r = m.lookupBlocking("alice@pin.test");

            ServerSettings in = r.incoming().stream().filter(s -> s.port() == imap.port()).findFirst().orElseThrow();
            assertThat(in.foundBy()).contains(SourceName.SRV);
            assertThat(in.verified()).isTrue();
            assertThat(in.probe().address()).isEqualTo("127.0.0.1");
            // The guess source, the SRV candidate's probe and the guesses' probes all used one answer.
            assertThat(dns.queryCount("mail.pin.test", "A")).isEqualTo(1);
            assertThat(r.warnings()).noneMatch(w -> w.contains("10.1.2.3"));
            assertThat(r.incoming()).noneMatch(s -> s.probe() != null && s.probe().failure() != null
                    && s.probe().failure().contains("10.1.2.3"));

            // Pins live as long as their lookup: the next one (another address, so no cached result) asks DNS
            // again, as TTL 0 says.
            m.lookupBlocking("bob@pin.test");
            assertThat(dns.queryCount("mail.pin.test", "A")).isEqualTo(2);
        }
    }
}
