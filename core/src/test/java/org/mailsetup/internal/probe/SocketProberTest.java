package org.mailsetup.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.mailsetup.Cidr;
import org.mailsetup.Endpoint;
import org.mailsetup.ProbeReport;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.net.Dialer;
import org.mailsetup.internal.net.NetworkPolicy;
import org.mailsetup.testkit.ScriptedMailServer;

/** Connection, DNS, policy and TLS failures, which do not depend on the protocol. */
class SocketProberTest extends ProbeTestSupport {

    private static ScriptedMailServer.Builder goodImapOver(javax.net.ssl.SSLContext tls) {
        return ScriptedMailServer.builder()
                .implicitTls(tls)
                .send("* OK ready")
                .expect("a1 CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
                .send("a1 OK done");
    }

    @Test
    void silentServerFailsWithinTheDeadline() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder().neverSpeak().start()) {
            long t0 = System.nanoTime();
            ProbeReport r = probe(Protocol.SMTP, Security.STARTTLS, server, Duration.ofMillis(700));
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).startsWith("greeting timeout: server accepted TCP but never spoke");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.INCONCLUSIVE);
            assertThat(r.address()).isEqualTo("127.0.0.1");
            assertThat(r.rttMs()).isEqualTo(-1);
            assertThat(tookMs).isBetween(600L, 1400L);
        }
    }

    @Test
    void silentServerOnATlsPortFailsWithinTheDeadline() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder().neverSpeak().start()) {
            long t0 = System.nanoTime();
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server, Duration.ofMillis(700));
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.failure()).startsWith("TLS handshake timed out after")
                    .endsWith("server accepted TCP but never answered the TLS ClientHello");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.INCONCLUSIVE);
            assertThat(tookMs).isBetween(600L, 1400L);
        }
    }

    /** The answer time, not the probe's deadline, ends a server that keeps sending a byte now and then. */
    private static final Duration LONG_DEADLINE = Duration.ofSeconds(12);

    private static final byte[] ENDLESS_SERVER_HELLO = new byte[60];

    static {
        // A TLS handshake record announcing 16 KiB, then its body a byte at a time: every read returns in time.
        byte[] header = {0x16, 0x03, 0x03, 0x40, 0x00, 0x02, 0x00, 0x3f, (byte) 0xfc, 0x03, 0x03};
        System.arraycopy(header, 0, ENDLESS_SERVER_HELLO, 0, header.length);
    }

    @Test
    void tlsHandshakeThatTricklesIsCutOffAfterTheAnswerTime() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .readTlsRecord()
                .trickle(ENDLESS_SERVER_HELLO, Duration.ofMillis(200))
                .start()) {
            long t0 = System.nanoTime();
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server, LONG_DEADLINE);
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.failure()).startsWith("TLS handshake not complete after")
                    .endsWith("ms: the server answers too slowly");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.INCONCLUSIVE);
            assertThat(tookMs).isBetween(SocketProber.ANSWER_TIME.toMillis() - 100, SocketProber.ANSWER_TIME.toMillis() + 1500);
        }
    }

    @Test
    void tlsHandshakeThatTricklesAfterStartTlsIsCutOffAfterTheAnswerTime() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("* OK ready")
                .expect("a1 CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 STARTTLS")
                .send("a1 OK done")
                .expect("a2 STARTTLS")
                .send("a2 OK begin TLS")
                .readTlsRecord()
                .trickle(ENDLESS_SERVER_HELLO, Duration.ofMillis(200))
                .start()) {
            long t0 = System.nanoTime();
            ProbeReport r = probe(Protocol.IMAP, Security.STARTTLS, server, LONG_DEADLINE);
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.failure()).startsWith("after STARTTLS: TLS handshake not complete after");
            assertThat(r.greeting()).isEqualTo("* OK ready");
            assertThat(tookMs).isBetween(SocketProber.ANSWER_TIME.toMillis() - 100, SocketProber.ANSWER_TIME.toMillis() + 1500);
        }
    }

    @Test
    void slowlorisGreetingIsCutOffAfterTheAnswerTime() throws Exception {
        byte[] endless = "220 mail.example.org ESMTP and so on and on and on, never a line end".getBytes();
        try (ScriptedMailServer server = ScriptedMailServer.builder().trickle(endless, Duration.ofMillis(200)).start()) {
            long t0 = System.nanoTime();
            ProbeReport r = probe(Protocol.SMTP, Security.STARTTLS, server, LONG_DEADLINE);
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.failure()).startsWith("greeting timeout: incomplete greeting after");
            assertThat(tookMs).isBetween(SocketProber.ANSWER_TIME.toMillis() - 100, SocketProber.ANSWER_TIME.toMillis() + 1500);
        }
    }

    @Test
    void answerThatTricklesAfterAPromptGreetingIsCutOffAfterTheAnswerTime() throws Exception {
        byte[] endless = "250-mail.example.org at your service, slowly, very slowly".getBytes();
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("220 mail.example.org ESMTP")
                .expect("EHLO .*")
                .trickle(endless, Duration.ofMillis(200))
                .start()) {
            long t0 = System.nanoTime();
            ProbeReport r = probe(Protocol.SMTP, Security.STARTTLS, server, LONG_DEADLINE);
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.failure()).contains("timed out after");
            assertThat(r.greeting()).isEqualTo("220 mail.example.org ESMTP");
            assertThat(tookMs).isBetween(SocketProber.ANSWER_TIME.toMillis() - 100, SocketProber.ANSWER_TIME.toMillis() + 1500);
        }
    }

    @Test
    void selfSignedCertificateIsNotTrustedButItsDetailsAreReported() throws Exception {
        HeldCertificate self = TestPki.selfSigned(HOST);
        try (ScriptedMailServer server = goodImapOver(TestPki.selfSignedContext(self)).start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.certificateValid()).isFalse();
            assertThat(r.failure()).isEqualTo("certificate not trusted (PKIX path): self-signed certificate");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.CONCLUSIVE);
            assertThat(r.certificateSubject()).isEqualTo("CN=" + HOST);
            assertThat(r.certificateIssuer()).isEqualTo("CN=" + HOST);
            assertThat(r.certificateExpires()).isNotNull();
            assertThat(r.greeting()).isNull();
        }
    }

    @Test
    void certificateFromAnUnknownCaIsNotTrusted() throws Exception {
        TestPki stranger = new TestPki("some other CA");
        try (ScriptedMailServer server = goodImapOver(stranger.serverContext(stranger.server(HOST))).start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server);

            assertThat(r.failure()).isEqualTo(
                    "certificate not trusted (PKIX path): no chain to a trusted CA (issuer CN=some other CA)");
        }
    }

    @Test
    void certificateFromAnImpostorCaWithTheTrustedNameIsNotTrusted() throws Exception {
        TestPki impostor = new TestPki("mailsetup test CA");
        try (ScriptedMailServer server = goodImapOver(impostor.serverContext(impostor.server(HOST))).start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server);

            assertThat(r.failure()).startsWith(
                    "certificate not trusted (PKIX path): chain does not validate (issuer CN=mailsetup test CA)");
        }
    }

    @Test
    void expiredCertificateIsNotTrusted() throws Exception {
        long now = System.currentTimeMillis();
        HeldCertificate expired = new HeldCertificate.Builder()
                .commonName(HOST).addSubjectAlternativeName(HOST)
                .validityInterval(now - 10 * 86_400_000L, now - 86_400_000L)
                .signedBy(pki.ca())
                .build();
        try (ScriptedMailServer server = goodImapOver(pki.serverContext(expired)).start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server);

            assertThat(r.failure()).startsWith("certificate not trusted (PKIX path): certificate expired on ");
        }
    }

    @Test
    void certificateForAnotherNameIsAHostNameMismatch() throws Exception {
        try (ScriptedMailServer server = goodImapOver(pki.serverContext(pki.server("mail.other.test", "other.test")))
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.certificateValid()).isFalse();
            assertThat(r.failure()).isEqualTo(
                    "host name mismatch: the certificate is for mail.other.test, other.test, not for " + HOST);
            assertThat(r.certificateSubject()).isEqualTo("CN=mail.other.test");
        }
    }

    @Test
    void wildcardCertificateMatchesOneLabel() throws Exception {
        try (ScriptedMailServer server = goodImapOver(pki.serverContext(pki.server("*.example.test"))).start()) {
            assertThat(probe(Protocol.IMAP, Security.TLS, server).ok()).isTrue();
        }
    }

    @Test
    void hostNameIsCheckedEvenWhenTheTrustManagerIsAPlainX509TrustManager() throws Exception {
        X509TrustManager real = pki.trustManager();
        // Not an X509ExtendedTrustManager: JSSE would not check the host name through it by itself.
        X509TrustManager plain = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                real.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                real.checkServerTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return real.getAcceptedIssuers();
            }
        };
        SocketProber p = SocketProber.create(Dialer.create(LOOPBACK, dnsClient), plain);
        try (ScriptedMailServer wrong = goodImapOver(pki.serverContext(pki.server("mail.other.test"))).start();
             ScriptedMailServer right = goodImapOver(goodTls).start()) {
            ProbeReport bad = p.probe(new Endpoint(Protocol.IMAP, HOST, wrong.port(), Security.TLS),
                    Deadline.after(Duration.ofSeconds(5)));
            ProbeReport good = p.probe(new Endpoint(Protocol.IMAP, HOST, right.port(), Security.TLS),
                    Deadline.after(Duration.ofSeconds(5)));

            assertThat(bad.failure()).startsWith("host name mismatch");
            assertThat(good.ok()).isTrue();
        }
    }

    @Test
    void tlsDroppedDuringTheHandshake() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder().dropTlsHandshake().start()) {
            ProbeReport r = probe(Protocol.POP3, Security.TLS, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).isEqualTo("TLS dropped: the server closed the connection during the TLS handshake");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.INCONCLUSIVE);
        }
    }

    @Test
    void plainTextOnATlsPort() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("* OK plain IMAP here, no TLS")
                .neverSpeak()
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server);

            assertThat(r.failure()).isEqualTo(
                    "TLS handshake failed: the server did not answer with TLS (plain text on a TLS port?)");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.CONCLUSIVE);
        }
    }

    @Test
    void loopbackIsRefusedUnlessTheNetworkIsAllowed() throws Exception {
        try (ScriptedMailServer server = goodImapOver(goodTls).start()) {
            SocketProber publicOnly = SocketProber.create(Dialer.create(NetworkPolicy.publicOnly(), dnsClient), pki.trustManager());
            ProbeReport r = publicOnly.probe(new Endpoint(Protocol.IMAP, HOST, server.port(), Security.TLS),
                    Deadline.after(Duration.ofSeconds(5)));

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).isEqualTo(HOST + " resolves to [127.0.0.1], which is not a public address; "
                    + "refused by the network policy");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.REFUSED);
            assertThat(r.address()).isNull();
            Thread.sleep(100);
            assertThat(server.connections()).isZero();
        }
    }

    @Test
    void addressLiteralsAreJudgedByThePolicyToo() {
        SocketProber publicOnly = SocketProber.create(Dialer.create(NetworkPolicy.publicOnly(), dnsClient), pki.trustManager());
        ProbeReport r = publicOnly.probe(new Endpoint(Protocol.SMTP, "169.254.169.254", 465, Security.TLS),
                Deadline.after(Duration.ofSeconds(2)));

        assertThat(r.failure()).contains("which is not a public address");
        assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.REFUSED);
    }

    @Test
    void theNetworkPolicyCheckNeedsNoConnection() {
        SocketProber publicOnly = SocketProber.create(Dialer.create(NetworkPolicy.publicOnly(), dnsClient), pki.trustManager());
        Deadline d = Deadline.after(Duration.ofSeconds(2));

        assertThat(publicOnly.screen(HOST, d).failureKind()).isEqualTo(ProbeReport.FailureKind.REFUSED);
        assertThat(publicOnly.screen("::1", d).failureKind()).isEqualTo(ProbeReport.FailureKind.REFUSED);
        assertThat(publicOnly.screen("missing.example.test", d).failureKind())
                .isEqualTo(ProbeReport.FailureKind.CONCLUSIVE);
        assertThat(prober.screen(HOST, d)).as("loopback allowed by the operator").isNull();
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        ProbeReport r = prober.probe(new Endpoint(Protocol.IMAP, HOST, port, Security.TLS),
                Deadline.after(Duration.ofSeconds(2)));

        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).isEqualTo("connection refused (127.0.0.1:" + port + ")");
        assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.INCONCLUSIVE);
    }

    @Test
    void unknownHost() {
        ProbeReport r = prober.probe(new Endpoint(Protocol.IMAP, "missing.example.test", 993, Security.TLS),
                Deadline.after(Duration.ofSeconds(2)));

        assertThat(r.failure()).isEqualTo("host not found: missing.example.test does not exist (NXDOMAIN)");
    }

    @Test
    void invalidPort() {
        // An invalid endpoint cannot be made, so it can never reach the prober.
        assertThatThrownBy(() -> new Endpoint(Protocol.IMAP, HOST, 70000, Security.TLS))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid port 70000");
    }

    @Test
    void expiredDeadlineFailsFast() throws Exception {
        try (ScriptedMailServer server = goodImapOver(goodTls).start()) {
            long t0 = System.nanoTime();
            ProbeReport r = prober.probe(new Endpoint(Protocol.IMAP, HOST, server.port(), Security.TLS),
                    Deadline.after(Duration.ZERO));

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).isNotBlank();
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
        }
    }

    @Test
    void trailingDotAndUpperCaseHostNamesAreTheSameHost() throws Exception {
        try (ScriptedMailServer server = goodImapOver(goodTls).start()) {
            ProbeReport r = prober.probe(
                    new Endpoint(Protocol.IMAP, "MAIL.Example.TEST.", server.port(), Security.TLS),
                    Deadline.after(Duration.ofSeconds(5)));

            assertThat(r.failure()).isNull();
            assertThat(r.ok()).isTrue();
        }
    }

    @Test
    void neverSendsCredentials() throws Exception {
        try (ScriptedMailServer server = goodImapOver(goodTls).expect("a2 LOGOUT").send("a2 OK bye").start()) {
            prober.probe(new Endpoint(Protocol.IMAP, HOST, server.port(), Security.TLS),
                    Deadline.after(Duration.ofSeconds(5)));

            assertThat(linesReceived(server)).noneMatch(l -> l.matches("(?i)\\S+ (LOGIN|AUTHENTICATE).*"))
                    .isEqualTo(List.of("a1 CAPABILITY", "a2 LOGOUT"));
        }
    }

    @Test
    void ipv6LoopbackLiteralWithAnIpCertificate() throws Exception {
        SocketProber v6 = SocketProber.create(Dialer.create(NetworkPolicy.allowing(List.of(Cidr.parse("::1/128"))), dnsClient),
                pki.trustManager());
        try (ScriptedMailServer server = goodImapOver(pki.serverContext(pki.server("::1"))).bind("::1", 0).start()) {
            ProbeReport r = v6.probe(new Endpoint(Protocol.IMAP, "[::1]", server.port(), Security.TLS),
                    Deadline.after(Duration.ofSeconds(5)));

            assertThat(r.failure()).isNull();
            assertThat(r.ok()).isTrue();
            assertThat(r.address()).isEqualTo("::1");
        }
    }

    @Test
    void interruptingTheProbingVirtualThreadCancelsTheProbe() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder().neverSpeak().start()) {
            java.util.concurrent.atomic.AtomicReference<ProbeReport> result = new java.util.concurrent.atomic.AtomicReference<>();
            Thread t = Thread.ofVirtual().start(() -> result.set(prober.probe(
                    new Endpoint(Protocol.IMAP, HOST, server.port(), Security.STARTTLS),
                    Deadline.after(Duration.ofSeconds(20)))));
            Thread.sleep(300);
            long t0 = System.nanoTime();
            t.interrupt();
            t.join(Duration.ofSeconds(5));

            assertThat(t.isAlive()).isFalse();
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
            assertThat(result.get().ok()).isFalse();
            assertThat(result.get().failure()).isEqualTo("probe cancelled");
        }
    }
}
