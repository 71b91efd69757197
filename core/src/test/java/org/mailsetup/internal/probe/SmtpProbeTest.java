package org.mailsetup.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.mailsetup.ProbeReport;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.testkit.ScriptedMailServer;
import org.junit.jupiter.api.Test;

class SmtpProbeTest extends ProbeTestSupport {

    @Test
    void submissionWithStartTlsAndReEhlo() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("220-mail.example.test ESMTP")
                .send("220 no UCE")
                .expect("EHLO mailsetup\\.invalid")
                .send("250-mail.example.test")
                .send("250-PIPELINING")
                .send("250-SIZE 10240000")
                .send("250-STARTTLS")
                .send("250 8BITMIME")
                .expect("STARTTLS")
                .send("220 2.0.0 Ready to start TLS")
                .startTls(goodTls)
                .expect("EHLO mailsetup\\.invalid")
                .send("250-mail.example.test")
                .send("250-PIPELINING")
                .send("250-SIZE 10240000")
                .send("250-AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER")
                .send("250-AUTH=PLAIN LOGIN")
                .send("250-SMTPUTF8")
                .send("250 CHUNKING")
                .expect("QUIT")
                .send("221 2.0.0 Bye")
                .start()) {
            ProbeReport r = probe(Protocol.SMTP, Security.STARTTLS, server);

            assertThat(r.failure()).isNull();
            assertThat(r.ok()).isTrue();
            assertThat(r.greeting()).isEqualTo("220-mail.example.test ESMTP");
            assertThat(r.capabilities()).containsExactly("PIPELINING", "SIZE 10240000",
                    "AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER", "AUTH=PLAIN LOGIN", "SMTPUTF8", "CHUNKING");
            assertThat(r.authMechanisms()).containsExactly("PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER");
            assertThat(linesReceived(server))
                    .containsExactly("EHLO mailsetup.invalid", "STARTTLS", "EHLO mailsetup.invalid", "QUIT");
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void implicitTls() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("220 mail.example.test ESMTP")
                .expect("EHLO mailsetup\\.invalid")
                .send("250-mail.example.test")
                .send("250 AUTH PLAIN")
                .start()) {
            ProbeReport r = probe(Protocol.SMTP, Security.TLS, server);

            assertThat(r.ok()).isTrue();
            assertThat(r.authMechanisms()).containsExactly("PLAIN");
        }
    }

    @Test
    void bareCodeLinesAreValidReplies() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("220")
                .expect("EHLO .*")
                .send("250")
                .start()) {
            ProbeReport r = probe(Protocol.SMTP, Security.TLS, server);

            assertThat(r.failure()).isNull();
            assertThat(r.capabilities()).isEmpty();
        }
    }

    @Test
    void refusedConnection() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("554 5.7.1 no service for you")
                .start()) {
            ProbeReport r = probe(Protocol.SMTP, Security.TLS, server);

            assertThat(r.failure()).isEqualTo("server refused the connection: 554 5.7.1 no service for you");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.INCONCLUSIVE);
        }
    }

    @Test
    void refusedStartTls() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("220 mail.example.test ESMTP")
                .expect("EHLO mailsetup\\.invalid")
                .send("250-mail.example.test")
                .send("250 STARTTLS")
                .expect("STARTTLS")
                .send("454 4.7.0 TLS not available due to local problem")
                .start()) {
            ProbeReport r = probe(Protocol.SMTP, Security.STARTTLS, server);

            assertThat(r.failure()).isEqualTo("server refused STARTTLS: 454 4.7.0 TLS not available due to local problem");
        }
    }

    @Test
    void strippedStartTls() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("220 mail.example.test ESMTP")
                .expect("EHLO mailsetup\\.invalid")
                .send("250-mail.example.test")
                .send("250-XXXXXXXA")
                .send("250 AUTH PLAIN LOGIN")
                .start()) {
            ProbeReport r = probe(Protocol.SMTP, Security.STARTTLS, server);

            assertThat(r.failure()).isEqualTo("server does not offer STARTTLS");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.CONCLUSIVE);
            assertThat(r.authMechanisms()).containsExactly("PLAIN", "LOGIN");
        }
    }

    @Test
    void injectionAfterStartTls() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("220 mail.example.test ESMTP")
                .expect("EHLO mailsetup\\.invalid")
                .send("250-mail.example.test")
                .send("250 STARTTLS")
                .expect("STARTTLS")
                .sendRaw("220 Go ahead\r\n250-mail.example.test\r\n250 AUTH PLAIN\r\n")
                .startTls(goodTls)
                .start()) {
            ProbeReport r = probe(Protocol.SMTP, Security.STARTTLS, server);

            assertThat(r.failure()).startsWith("STARTTLS injection");
            assertThat(r.failureKind()).isEqualTo(ProbeReport.FailureKind.CONCLUSIVE);
        }
    }

    @Test
    void refusedEhlo() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("220 mail.example.test")
                .expect("EHLO .*")
                .send("502 5.5.2 Error: command not recognized")
                .start()) {
            ProbeReport r = probe(Protocol.SMTP, Security.TLS, server);

            assertThat(r.failure()).isEqualTo("server refused EHLO: 502 5.5.2 Error: command not recognized");
        }
    }

    @Test
    void replyCodeChangingMidReplyIsMalformed() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("220-mail.example.test")
                .send("250 oops")
                .start()) {
            ProbeReport r = probe(Protocol.SMTP, Security.TLS, server);

            assertThat(r.failure()).startsWith("malformed SMTP reply in the SMTP greeting");
        }
    }

    @Test
    void pop3ServerOnTheSubmissionPort() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("+OK POP3 ready")
                .start()) {
            ProbeReport r = probe(Protocol.SMTP, Security.TLS, server);

            assertThat(r.failure())
                    .isEqualTo("unexpected answer in the SMTP greeting, not an SMTP reply (looks like POP3): +OK POP3 ready");
        }
    }
}
