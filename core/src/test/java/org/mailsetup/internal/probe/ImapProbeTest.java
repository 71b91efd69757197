package org.mailsetup.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.mailsetup.ProbeReport;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.testkit.ScriptedMailServer;
import org.junit.jupiter.api.Test;

class ImapProbeTest extends ProbeTestSupport {

    // The greeting carries the capabilities, so the prober goes straight to STARTTLS (one round trip less).
    private static ScriptedMailServer.Builder dovecotLikeStartTls() {
        return ScriptedMailServer.builder()
                .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Dovecot ready.")
                .expect("a1 STARTTLS");
    }

    @Test
    void implicitTlsReportsTheChannelAndTheCapabilities() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("* OK Dovecot ready.")
                .expect("a1 CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 IMAP4rev2 UTF8=ACCEPT AUTH=PLAIN AUTH=XOAUTH2 AUTH=SCRAM-SHA-256")
                .send("a1 OK done")
                .expect("a2 LOGOUT")
                .send("* BYE Logging out")
                .send("a2 OK Logout completed.")
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server);

            assertThat(r.failure()).isNull();
            assertThat(r.ok()).isTrue();
            assertThat(r.certificateValid()).isTrue();
            assertThat(r.tlsVersion()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(r.cipherSuite()).startsWith("TLS_");
            assertThat(r.certificateSubject()).isEqualTo("CN=" + HOST);
            assertThat(r.certificateIssuer()).isEqualTo("CN=mailsetup test CA");
            assertThat(r.certificateExpires()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(r.address()).isEqualTo("127.0.0.1");
            assertThat(r.rttMs()).isBetween(0L, 5000L);
            assertThat(r.greeting()).isEqualTo("* OK Dovecot ready.");
            assertThat(r.capabilities()).contains("IMAP4rev1", "IMAP4rev2", "UTF8=ACCEPT", "AUTH=PLAIN");
            assertThat(r.authMechanisms()).containsExactly("PLAIN", "XOAUTH2", "SCRAM-SHA-256");
            assertThat(linesReceived(server)).containsExactly("a1 CAPABILITY", "a2 LOGOUT");
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void startTlsIsReallyUpgradedAndCapabilitiesAreReadAgain() throws Exception {
        try (ScriptedMailServer server = dovecotLikeStartTls()
                .send("a1 OK Begin TLS negotiation now.")
                .startTls(goodTls)
                .expect("a2 CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 SASL-IR IDLE AUTH=PLAIN AUTH=LOGIN")
                .send("a2 OK done")
                .expect("a3 LOGOUT")
                .send("a3 OK bye")
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.STARTTLS, server);

            assertThat(r.failure()).isNull();
            assertThat(r.ok()).isTrue();
            assertThat(r.tlsVersion()).isNotNull();
            // The report shows what the server offers over TLS, not the pre-TLS list.
            assertThat(r.capabilities()).contains("AUTH=PLAIN").doesNotContain("LOGINDISABLED", "STARTTLS");
            assertThat(r.authMechanisms()).containsExactly("PLAIN", "LOGIN");
            assertThat(linesReceived(server))
                    .containsExactly("a1 STARTTLS", "a2 CAPABILITY", "a3 LOGOUT");
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void preauthIsAFailure() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("* PREAUTH IMAP4rev1 server logged in as joe")
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.STARTTLS, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).contains("PREAUTH");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.CONCLUSIVE);
            assertThat(linesReceived(server)).isEmpty();
        }
    }

    @Test
    void strippedStartTlsIsAFailureThatStillReportsTheCapabilities() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("* OK ready")
                .expect("a1 CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
                .send("a1 OK done")
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.STARTTLS, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).isEqualTo("server does not offer STARTTLS");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.CONCLUSIVE);
            assertThat(r.capabilities()).containsExactly("IMAP4rev1", "AUTH=PLAIN");
            assertThat(r.tlsVersion()).isNull();
            // Never went on in the clear.
            assertThat(linesReceived(server)).containsExactly("a1 CAPABILITY");
        }
    }

    @Test
    void refusedStartTlsIsAFailure() throws Exception {
        try (ScriptedMailServer server = dovecotLikeStartTls()
                .send("a1 NO TLS is broken today")
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.STARTTLS, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).startsWith("server refused STARTTLS").contains("TLS is broken today");
        }
    }

    @Test
    void plaintextQueuedBehindTheStartTlsAnswerIsInjection() throws Exception {
        try (ScriptedMailServer server = dovecotLikeStartTls()
                // Both in one write: the forged capability list rides along with the go-ahead.
                .sendRaw("a1 OK Begin TLS negotiation now.\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n")
                .startTls(goodTls)
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.STARTTLS, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).startsWith("STARTTLS injection");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.CONCLUSIVE);
            assertThat(r.tlsVersion()).isNull();
        }
    }

    @Test
    void tlsDroppedAfterStartTls() throws Exception {
        try (ScriptedMailServer server = dovecotLikeStartTls()
                .send("a1 OK Begin TLS negotiation now.")
                .dropTlsHandshake()
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.STARTTLS, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).startsWith("after STARTTLS: TLS dropped");
        }
    }

    @Test
    void plainConnectionIsNeverOkButShowsWhatTheServerOffers() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("* OK ready")
                .expect("a1 CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
                .send("a1 OK done")
                .expect("a2 LOGOUT")
                .send("a2 OK bye")
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.PLAIN, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).isEqualTo("no TLS: plain text is not safe");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.CONCLUSIVE);
            assertThat(r.certificateValid()).isFalse();
            assertThat(r.greeting()).isEqualTo("* OK ready");
            assertThat(r.authMechanisms()).containsExactly("PLAIN");
        }
    }

    @Test
    void serverWithoutImap4CapabilityIsNotImap() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("* OK ready")
                .expect("a1 CAPABILITY")
                .send("* CAPABILITY IMAP2 AUTH=PLAIN")
                .send("a1 OK done")
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).contains("neither IMAP4rev1 nor IMAP4rev2");
        }
    }

    @Test
    void anSmtpServerOnTheImapPortIsAnUnexpectedGreeting() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("220 mail.example.test ESMTP")
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).isEqualTo("unexpected greeting for IMAP (looks like SMTP): 220 mail.example.test ESMTP");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.CONCLUSIVE);
            // The TLS part was fine and is reported as such.
            assertThat(r.certificateValid()).isTrue();
        }
    }

    @Test
    void byeGreetingIsARefusal() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("* BYE too many connections")
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server);

            assertThat(r.failure()).isEqualTo("server refused the connection: * BYE too many connections");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.INCONCLUSIVE);
        }
    }

    @Test
    void hugeLineIsCutOff() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("* OK " + "x".repeat(100_000))
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).isEqualTo("server sent a line longer than 8192 bytes in the IMAP greeting");
        }
    }

    @Test
    void endlessCapabilityAnswerHitsTheTotalReadCap() throws Exception {
        ScriptedMailServer.Builder b = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("* OK ready")
                .expect("a1 CAPABILITY");
        String chunk = ("* CAPABILITY IMAP4rev1 " + "X".repeat(4000) + "\r\n").repeat(20);
        for (int i = 0; i < 5; i++) {
            b.sendRaw(chunk);
        }
        try (ScriptedMailServer server = b.start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.TLS, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).startsWith("server sent more than 262144 bytes");
        }
    }

    @Test
    void slowGreetingBeyondTheDeadlineEndsOnTime() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .sleep(Duration.ofSeconds(4))
                .send("* OK finally")
                .start()) {
            long t0 = System.nanoTime();
            ProbeReport r = probe(Protocol.IMAP, Security.STARTTLS, server, Duration.ofMillis(800));
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).startsWith("greeting timeout: server accepted TCP but never spoke");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.INCONCLUSIVE);
            assertThat(tookMs).isBetween(700L, 1500L);
        }
    }

    @Test
    void incompleteGreetingIsAGreetingTimeout() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .sendRaw("* OK almost")
                .neverSpeak()
                .start()) {
            ProbeReport r = probe(Protocol.IMAP, Security.PLAIN, server, Duration.ofMillis(500));

            assertThat(r.failure()).startsWith("greeting timeout: incomplete greeting after");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.INCONCLUSIVE);
        }
    }
}
