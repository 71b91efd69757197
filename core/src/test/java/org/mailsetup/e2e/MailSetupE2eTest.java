package org.mailsetup.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.MailSetup;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.ServerSettings;
import org.mailsetup.SourceName;
import org.mailsetup.testkit.E2eServers;
import org.mailsetup.testkit.FakeDnsServer;

/**
 * The whole pipeline through the public API against real Dovecot and Postfix: DNS (SRV records and the
 * guessable names) leads to the lab hosts, probes verify them, and the ranking puts what works first.
 */
@Tag("e2e")
class MailSetupE2eTest {

    private static FakeDnsServer dns;
    private static MailSetup mailSetup;

    @BeforeAll
    static void setUp() throws Exception {
        if (!E2eServers.running()) {
            return;
        }
        dns = E2eServers.namesFor(new FakeDnsServer().start());
        for (String d : List.of("good.test", "tlsonly.test", "stale.test", "starttls.test", "plain.test",
                "selfsigned.test", "wrongname.test", "pop3only.test")) {
            dns.mx(d, 10, "mail." + d);
        }
        // good.test publishes every service (RFC 6186 / 8314); SRV targets in the domain are trusted.
        dns.srv("_imaps._tcp.good.test", 0, 1, 993, "mail.good.test")
                .srv("_imap._tcp.good.test", 10, 1, 143, "mail.good.test")
                .srv("_pop3s._tcp.good.test", 20, 1, 995, "mail.good.test")
                .srv("_submissions._tcp.good.test", 0, 1, 465, "mail.good.test")
                .srv("_submission._tcp.good.test", 10, 1, 587, "mail.good.test");
        // stale.test's SRV records still describe the old STARTTLS setup; only implicit TLS works now.
        dns.srv("_imap._tcp.stale.test", 0, 1, 143, "mail.stale.test")
                .srv("_submission._tcp.stale.test", 0, 1, 587, "mail.stale.test");
        // The broken servers are announced by SRV so that they show up (guesses that fail are hidden).
        dns.srv("_imap._tcp.plain.test", 0, 1, 143, "mail.plain.test")
                .srv("_submission._tcp.plain.test", 0, 1, 587, "mail.plain.test")
                .srv("_imaps._tcp.selfsigned.test", 0, 1, 993, "mail.selfsigned.test")
                .srv("_submissions._tcp.selfsigned.test", 0, 1, 465, "mail.selfsigned.test")
                .srv("_imaps._tcp.wrongname.test", 0, 1, 993, "mail.wrongname.test")
                .srv("_submissions._tcp.wrongname.test", 0, 1, 465, "mail.wrongname.test");
        mailSetup = MailSetup.builder()
                .dnsServer(dns.address())
                .allowNetwork("127.0.0.0/8")
                .caFile(E2eServers.workDir().resolve("pki/ca.pem"))
                // The online ISPDB would only get NXDOMAIN from the fake DNS; leave it out of the picture.
                .disable(SourceName.ISPDB)
                .cache(0, Duration.ZERO)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    static void tearDown() {
        if (mailSetup != null) {
            mailSetup.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @BeforeEach
    void serversRunning() {
        E2eServers.assumeRunning();
    }

    private static void assertSetting(ServerSettings s, Protocol protocol, String host, int port, Security security) {
        assertThat(s.protocol()).isEqualTo(protocol);
        assertThat(s.host()).isEqualTo(host);
        assertThat(s.port()).isEqualTo(port);
        assertThat(s.security()).isEqualTo(security);
    }

    private static ServerSettings find(List<ServerSettings> list, String host, int port) {
        return list.stream().filter(s -> s.host().equals(host) && s.port() == port).findFirst()
                .orElseThrow(() -> new AssertionError("no " + host + ":" + port + " in " + list));
    }

    @Test
    void goodDomainGetsVerifiedTrustedImplicitTlsFirst() {
        DiscoveryResult r = mailSetup.lookupBlocking("alice@good.test");

        assertThat(r.error()).isNull();
        ServerSettings in = r.bestIncoming().orElseThrow();
        assertSetting(in, Protocol.IMAP, "mail.good.test", 993, Security.TLS);
        assertThat(in.verified()).isTrue();
        assertThat(in.trusted()).isTrue();
        assertThat(in.foundBy()).contains(SourceName.SRV);
        assertThat(in.auth()).containsExactly("password-cleartext");
        assertThat(in.probe().greeting()).contains("Dovecot");
        assertThat(in.probe().certificateIssuer()).isEqualTo("CN=mailsetup e2e test CA");
        ServerSettings out = r.bestOutgoing().orElseThrow();
        assertSetting(out, Protocol.SMTP, "mail.good.test", 465, Security.TLS);
        assertThat(out.verified()).isTrue();
        assertThat(out.auth()).containsExactly("password-cleartext");
        assertThat(out.probe().authMechanisms()).containsExactly("PLAIN", "LOGIN");
    }

    @Test
    void tlsOnlyDomainIsFoundByGuessingAndOnlyWhatWorksIsShown() {
        DiscoveryResult r = mailSetup.lookupBlocking("bob@tlsonly.test");

        ServerSettings in = r.bestIncoming().orElseThrow();
        assertThat(in.protocol()).isEqualTo(Protocol.IMAP);
        assertThat(in.port()).isEqualTo(993);
        assertThat(in.security()).isEqualTo(Security.TLS);
        assertThat(in.verified()).isTrue();
        assertThat(in.trusted()).isFalse();
        assertThat(in.foundBy()).containsExactly(SourceName.GUESS);
        ServerSettings out = r.bestOutgoing().orElseThrow();
        assertThat(out.port()).isEqualTo(465);
        assertThat(out.verified()).isTrue();
        // Guesses that failed (STARTTLS ports are closed here) are not offered at all.
        assertThat(r.incoming()).allMatch(ServerSettings::verified).noneMatch(s -> s.security() == Security.STARTTLS);
        assertThat(r.outgoing()).allMatch(ServerSettings::verified);
    }

    @Test
    void startTlsOnlyDomainGetsVerifiedStartTls() {
        DiscoveryResult r = mailSetup.lookupBlocking("carol@starttls.test");

        ServerSettings in = r.bestIncoming().orElseThrow();
        assertThat(in.protocol()).isEqualTo(Protocol.IMAP);
        assertThat(in.port()).isEqualTo(143);
        assertThat(in.security()).isEqualTo(Security.STARTTLS);
        assertThat(in.verified()).isTrue();
        assertThat(in.probe().tlsVersion()).isIn("TLSv1.3", "TLSv1.2");
        ServerSettings out = r.bestOutgoing().orElseThrow();
        assertThat(out.port()).isEqualTo(587);
        assertThat(out.security()).isEqualTo(Security.STARTTLS);
        assertThat(out.verified()).isTrue();
        assertThat(out.auth()).containsExactly("password-cleartext");
    }

    @Test
    void pop3OnlyDomainGetsPop3AndNoImap() {
        DiscoveryResult r = mailSetup.lookupBlocking("dave@pop3only.test");

        ServerSettings in = r.bestIncoming().orElseThrow();
        assertThat(in.protocol()).isEqualTo(Protocol.POP3);
        assertThat(in.port()).isEqualTo(995);
        assertThat(in.security()).isEqualTo(Security.TLS);
        assertThat(in.verified()).isTrue();
        assertThat(in.auth()).containsExactly("password-cleartext");
        assertThat(r.incoming()).noneMatch(s -> s.protocol() == Protocol.IMAP);
        assertThat(r.bestOutgoing().orElseThrow().verified()).isTrue();
    }

    @Test
    void staleSrvRecordsRankBelowTheSettingThatWorks() {
        DiscoveryResult r = mailSetup.lookupBlocking("erin@stale.test");

        ServerSettings first = r.incoming().get(0);
        assertThat(first.protocol()).isEqualTo(Protocol.IMAP);
        assertThat(first.port()).isEqualTo(993);
        assertThat(first.security()).isEqualTo(Security.TLS);
        assertThat(first.verified()).isTrue();
        ServerSettings stale = find(r.incoming(), "mail.stale.test", 143);
        assertThat(stale.trusted()).isTrue();
        assertThat(stale.verified()).isFalse();
        assertThat(stale.probe().failure()).isEqualTo("connection refused (127.0.10.2:143)");
        assertThat(r.incoming().indexOf(stale)).isGreaterThan(0);
        assertThat(r.outgoing().get(0).port()).isEqualTo(465);
        assertThat(find(r.outgoing(), "mail.stale.test", 587).probe().failure())
                .isEqualTo("connection refused (127.0.10.2:587)");
        assertThat(r.warnings()).anyMatch(w -> w.contains("mail.stale.test:143") && w.contains("connection refused"));
    }

    @Test
    void serverWithoutStartTlsIsShownWithItsReason() {
        DiscoveryResult r = mailSetup.lookupBlocking("frank@plain.test");

        ServerSettings imap = find(r.incoming(), "mail.plain.test", 143);
        assertThat(imap.verified()).isFalse();
        assertThat(imap.probe().failure()).isEqualTo("server does not offer STARTTLS");
        ServerSettings smtp = find(r.outgoing(), "mail.plain.test", 587);
        assertThat(smtp.verified()).isFalse();
        assertThat(smtp.probe().failure()).isEqualTo("server does not offer STARTTLS");
        assertThat(r.incoming()).noneMatch(ServerSettings::verified);
        assertThat(r.warnings()).anyMatch(w -> w.contains("failed verification: server does not offer STARTTLS"));
    }

    @Test
    void selfSignedAndWrongNameCertificatesAreNeverVerified() {
        DiscoveryResult self = mailSetup.lookupBlocking("gina@selfsigned.test");
        DiscoveryResult wrong = mailSetup.lookupBlocking("hank@wrongname.test");

        ServerSettings s = find(self.incoming(), "mail.selfsigned.test", 993);
        assertThat(s.verified()).isFalse();
        assertThat(s.probe().certificateValid()).isFalse();
        assertThat(s.probe().failure()).isEqualTo("certificate not trusted (PKIX path): self-signed certificate");
        assertThat(find(self.outgoing(), "mail.selfsigned.test", 465).probe().failure())
                .isEqualTo("certificate not trusted (PKIX path): self-signed certificate");
        assertThat(self.incoming()).noneMatch(ServerSettings::verified);

        ServerSettings w = find(wrong.incoming(), "mail.wrongname.test", 993);
        assertThat(w.verified()).isFalse();
        assertThat(w.probe().failure()).startsWith("host name mismatch: the certificate is for mail.other.test");
        assertThat(w.probe().certificateSubject()).isEqualTo("CN=mail.other.test");
        assertThat(wrong.incoming()).noneMatch(ServerSettings::verified);
    }
}
