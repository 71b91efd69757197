package org.mailsetup.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailsetup.Cidr;
import org.mailsetup.Endpoint;
import org.mailsetup.ProbeReport;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsJavaClient;
import org.mailsetup.internal.net.Dialer;
import org.mailsetup.internal.net.NetworkPolicy;
import org.mailsetup.internal.probe.SocketProber;
import org.mailsetup.testkit.E2eServers;
import org.mailsetup.testkit.FakeDnsServer;
import org.mailsetup.testkit.ScriptedMailServer;

/** {@link SocketProber} against real Dovecot and Postfix, one scenario per loopback address. */
@Tag("e2e")
class SocketProberE2eTest {

    private static FakeDnsServer dns;
    private static SocketProber prober;

    @BeforeAll
    static void setUp() throws Exception {
        if (!E2eServers.running()) {
            return;
        }
        dns = E2eServers.namesFor(new FakeDnsServer().start());
        prober = SocketProber.create(
                Dialer.create(NetworkPolicy.allowing(List.of(Cidr.parse("127.0.0.0/8"))), DnsJavaClient.using(dns.address())),
                E2eServers.trustManager());
    }

    @BeforeEach
    void serversRunning() {
        E2eServers.assumeRunning();
    }

    @AfterAll
    static void tearDown() {
        if (dns != null) {
            dns.close();
        }
    }

    private static ProbeReport probe(Protocol protocol, String host, int port, Security security) {
        return prober.probe(new Endpoint(protocol, host, port, security), Deadline.after(Duration.ofSeconds(8)));
    }

    @ParameterizedTest(name = "{0} {1}:{2} {3} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            IMAP | mail.good.test       | 993 | TLS      | ok
            IMAP | mail.good.test       | 143 | STARTTLS | ok
            POP3 | mail.good.test       | 995 | TLS      | ok
            POP3 | mail.good.test       | 110 | STARTTLS | ok
            SMTP | mail.good.test       | 465 | TLS      | ok
            SMTP | mail.good.test       | 587 | STARTTLS | ok
            SMTP | mail.good.test       |  25 | STARTTLS | ok
            IMAP | imap.tlsonly.test    | 993 | TLS      | ok
            POP3 | pop.tlsonly.test     | 995 | TLS      | ok
            SMTP | smtp.tlsonly.test    | 465 | TLS      | ok
            IMAP | imap.tlsonly.test    | 143 | STARTTLS | connection refused (127.0.10.2:143)
            SMTP | smtp.tlsonly.test    | 587 | STARTTLS | connection refused (127.0.10.2:587)
            IMAP | imap.starttls.test   | 143 | STARTTLS | ok
            POP3 | pop.starttls.test    | 110 | STARTTLS | ok
            SMTP | smtp.starttls.test   | 587 | STARTTLS | ok
            IMAP | imap.starttls.test   | 993 | TLS      | connection refused (127.0.10.3:993)
            IMAP | mail.plain.test      | 143 | STARTTLS | server does not offer STARTTLS
            POP3 | mail.plain.test      | 110 | STARTTLS | server does not offer STARTTLS (no STLS in CAPA)
            SMTP | mail.plain.test      | 587 | STARTTLS | server does not offer STARTTLS
            SMTP | mail.plain.test      |  25 | STARTTLS | server does not offer STARTTLS
            IMAP | mail.plain.test      | 143 | PLAIN    | no TLS: plain text is not safe
            IMAP | mail.plain.test      | 993 | TLS      | connection refused (127.0.10.4:993)
            IMAP | mail.selfsigned.test | 993 | TLS      | certificate not trusted (PKIX path): self-signed certificate
            IMAP | mail.selfsigned.test | 143 | STARTTLS | after STARTTLS: certificate not trusted (PKIX path): self-signed certificate
            POP3 | mail.selfsigned.test | 995 | TLS      | certificate not trusted (PKIX path): self-signed certificate
            SMTP | mail.selfsigned.test | 465 | TLS      | certificate not trusted (PKIX path): self-signed certificate
            SMTP | mail.selfsigned.test | 587 | STARTTLS | after STARTTLS: certificate not trusted (PKIX path): self-signed certificate
            IMAP | mail.wrongname.test  | 993 | TLS      | host name mismatch: the certificate is for mail.other.test, other.test, *.other.test, not for mail.wrongname.test
            POP3 | mail.wrongname.test  | 110 | STARTTLS | after STARTTLS: host name mismatch: the certificate is for mail.other.test, other.test, *.other.test, not for mail.wrongname.test
            SMTP | mail.wrongname.test  | 465 | TLS      | host name mismatch: the certificate is for mail.other.test, other.test, *.other.test, not for mail.wrongname.test
            POP3 | pop.pop3only.test    | 995 | TLS      | ok
            POP3 | pop.pop3only.test    | 110 | STARTTLS | ok
            SMTP | smtp.pop3only.test   | 465 | TLS      | ok
            IMAP | imap.pop3only.test   | 993 | TLS      | connection refused (127.0.10.8:993)
            IMAP | imap.pop3only.test   | 143 | STARTTLS | connection refused (127.0.10.8:143)
            """)
    void scenario(Protocol protocol, String host, int port, Security security, String expected) {
        ProbeReport r = probe(protocol, host, port, security);

        if (expected.equals("ok")) {
            assertThat(r.failure()).isNull();
            assertThat(r.ok()).isTrue();
            assertThat(r.certificateValid()).isTrue();
            assertThat(r.tlsVersion()).isIn("TLSv1.3", "TLSv1.2");
        } else {
            assertThat(r.failure()).isEqualTo(expected);
            assertThat(r.ok()).isFalse();
            // A closed port may open tomorrow; a bad certificate, plain text or a missing STARTTLS is the setting.
            assertThat(r.failureKind()).isEqualTo(expected.startsWith("connection refused")
                    ? ProbeReport.FailureKind.INCONCLUSIVE : ProbeReport.FailureKind.CONCLUSIVE);
        }
    }

    @Test
    void dovecotImapOverTls() {
        ProbeReport r = probe(Protocol.IMAP, "imap.good.test", 993, Security.TLS);

        assertThat(r.ok()).isTrue();
        assertThat(r.address()).isEqualTo(E2eServers.GOOD);
        assertThat(r.greeting()).startsWith("* OK").contains("Dovecot");
        assertThat(r.capabilities()).contains("IMAP4rev1", "AUTH=PLAIN", "AUTH=LOGIN").doesNotContain("LOGINDISABLED");
        assertThat(r.authMechanisms()).containsExactly("PLAIN", "LOGIN");
        assertThat(r.certificateSubject()).isEqualTo("CN=mail.good.test");
        assertThat(r.certificateIssuer()).isEqualTo("CN=mailsetup e2e test CA");
        assertThat(r.certificateExpires()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(r.rttMs()).isBetween(0L, 8000L);
    }

    @Test
    void dovecotSaysLoginDisabledBeforeStartTlsAndOffersAuthAfterIt() {
        ProbeReport before = probe(Protocol.IMAP, "imap.good.test", 143, Security.PLAIN);
        ProbeReport after = probe(Protocol.IMAP, "imap.good.test", 143, Security.STARTTLS);

        assertThat(before.ok()).isFalse();
        assertThat(before.capabilities()).contains("IMAP4rev1", "STARTTLS", "LOGINDISABLED");
        assertThat(before.authMechanisms()).isEmpty();
        assertThat(after.ok()).isTrue();
        assertThat(after.capabilities()).contains("IMAP4rev1", "AUTH=PLAIN").doesNotContain("LOGINDISABLED", "STARTTLS");
        assertThat(after.authMechanisms()).containsExactly("PLAIN", "LOGIN");
    }

    @Test
    void dovecotPop3AfterStls() {
        ProbeReport r = probe(Protocol.POP3, "pop.good.test", 110, Security.STARTTLS);

        assertThat(r.ok()).isTrue();
        assertThat(r.greeting()).startsWith("+OK");
        assertThat(r.capabilities()).contains("USER", "SASL PLAIN LOGIN").doesNotContain("STLS");
        assertThat(r.authMechanisms()).containsExactly("PLAIN", "LOGIN");
    }

    @Test
    void postfixOffersSaslOnlyOverTls() {
        ProbeReport clear = probe(Protocol.SMTP, "smtp.good.test", 587, Security.PLAIN);
        ProbeReport upgraded = probe(Protocol.SMTP, "smtp.good.test", 587, Security.STARTTLS);
        ProbeReport implicit = probe(Protocol.SMTP, "smtp.good.test", 465, Security.TLS);
        ProbeReport mta = probe(Protocol.SMTP, "smtp.good.test", 25, Security.STARTTLS);

        assertThat(clear.greeting()).isEqualTo("220 mail.good.test ESMTP mailsetup e2e");
        assertThat(clear.capabilities()).contains("STARTTLS", "PIPELINING");
        assertThat(clear.authMechanisms()).isEmpty();
        assertThat(upgraded.ok()).isTrue();
        assertThat(upgraded.capabilities()).contains("AUTH PLAIN LOGIN", "SMTPUTF8", "PIPELINING")
                .doesNotContain("STARTTLS").anyMatch(c -> c.startsWith("SIZE "));
        assertThat(upgraded.authMechanisms()).containsExactly("PLAIN", "LOGIN");
        assertThat(implicit.ok()).isTrue();
        assertThat(implicit.authMechanisms()).containsExactly("PLAIN", "LOGIN");
        assertThat(mta.ok()).isTrue();
        assertThat(mta.authMechanisms()).isEmpty();
    }

    @Test
    void plainServerShowsAuthInTheClearButIsNeverOk() {
        ProbeReport r = probe(Protocol.SMTP, "smtp.plain.test", 587, Security.PLAIN);

        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).isEqualTo("no TLS: plain text is not safe");
        assertThat(r.capabilities()).doesNotContain("STARTTLS");
        assertThat(r.authMechanisms()).containsExactly("PLAIN", "LOGIN");
        assertThat(r.tlsVersion()).isNull();
    }

    @Test
    void certificateFailuresStillReportTheCertificate() {
        ProbeReport self = probe(Protocol.IMAP, "imap.selfsigned.test", 993, Security.TLS);
        ProbeReport wrong = probe(Protocol.IMAP, "imap.wrongname.test", 993, Security.TLS);

        assertThat(self.certificateValid()).isFalse();
        assertThat(self.certificateSubject()).isEqualTo("CN=mail.selfsigned.test");
        assertThat(self.certificateIssuer()).isEqualTo("CN=mail.selfsigned.test");
        assertThat(wrong.certificateValid()).isFalse();
        assertThat(wrong.certificateSubject()).isEqualTo("CN=mail.other.test");
        assertThat(wrong.certificateIssuer()).isEqualTo("CN=mailsetup e2e test CA");
        assertThat(wrong.greeting()).isNull();
    }

    @Test
    void silentServerFailsInsideTheDeadline() throws Exception {
        try (ScriptedMailServer silent = ScriptedMailServer.builder().bind(E2eServers.IN_PROCESS, 0).neverSpeak().start()) {
            long t0 = System.nanoTime();
            ProbeReport r = prober.probe(new Endpoint(Protocol.IMAP, "imap.silent.test", silent.port(), Security.TLS),
                    Deadline.after(Duration.ofSeconds(1)));
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.failure()).startsWith("TLS handshake timed out")
                    .endsWith("server accepted TCP but never answered the TLS ClientHello");
            assertThat(r.address()).isEqualTo(E2eServers.IN_PROCESS);
            assertThat(tookMs).isBetween(900L, 2000L);
        }
    }

    @Test
    void slowGreetingFailsInsideTheDeadline() throws Exception {
        try (ScriptedMailServer slow = ScriptedMailServer.builder().bind(E2eServers.IN_PROCESS, 0)
                .sleep(Duration.ofSeconds(5)).send("220 smtp.silent.test ESMTP at last").start()) {
            long t0 = System.nanoTime();
            ProbeReport r = prober.probe(new Endpoint(Protocol.SMTP, "smtp.silent.test", slow.port(), Security.STARTTLS),
                    Deadline.after(Duration.ofSeconds(1)));
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.failure()).startsWith("greeting timeout: server accepted TCP but never spoke");
            assertThat(tookMs).isBetween(900L, 2000L);
        }
    }

    @Test
    void publicOnlyPolicyRefusesTheLab() {
        SocketProber strict = SocketProber.create(Dialer.create(NetworkPolicy.publicOnly(), DnsJavaClient.using(dns.address())),
                trust());
        ProbeReport r = strict.probe(new Endpoint(Protocol.IMAP, "imap.good.test", 993, Security.TLS),
                Deadline.after(Duration.ofSeconds(2)));

        assertThat(r.failure()).isEqualTo(
                "imap.good.test resolves to [127.0.10.1], which is not a public address; refused by the network policy");
    }

    private static javax.net.ssl.X509TrustManager trust() {
        try {
            return E2eServers.trustManager();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
