package org.mailsetup.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.mailsetup.ProbeReport;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.testkit.ScriptedMailServer;
import org.junit.jupiter.api.Test;

class Pop3ProbeTest extends ProbeTestSupport {

    @Test
    void stlsIsUpgradedAndCapaReadAgain() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("+OK Dovecot ready.")
                .expect("CAPA")
                .send("+OK")
                .send("CAPA")
                .send("TOP")
                .send("UIDL")
                .send("RESP-CODES")
                .send("STLS")
                .send(".")
                .expect("STLS")
                .send("+OK Begin TLS negotiation now.")
                .startTls(goodTls)
                .expect("CAPA")
                .send("+OK")
                .send("CAPA")
                .send("TOP")
                .send("USER")
                .send("SASL PLAIN LOGIN")
                .send("..odd-but-dot-stuffed")
                .send(".")
                .expect("QUIT")
                .send("+OK Logging out.")
                .start()) {
            ProbeReport r = probe(Protocol.POP3, Security.STARTTLS, server);

            assertThat(r.failure()).isNull();
            assertThat(r.ok()).isTrue();
            assertThat(r.greeting()).isEqualTo("+OK Dovecot ready.");
            assertThat(r.capabilities()).containsExactly("CAPA", "TOP", "USER", "SASL PLAIN LOGIN", ".odd-but-dot-stuffed");
            assertThat(r.authMechanisms()).containsExactly("PLAIN", "LOGIN");
            assertThat(linesReceived(server)).containsExactly("CAPA", "STLS", "CAPA", "QUIT");
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void implicitTls() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("+OK ready")
                .expect("CAPA")
                .send("+OK")
                .send("USER")
                .send("SASL XOAUTH2 OAUTHBEARER")
                .send(".")
                .start()) {
            ProbeReport r = probe(Protocol.POP3, Security.TLS, server);

            assertThat(r.ok()).isTrue();
            assertThat(r.authMechanisms()).containsExactly("XOAUTH2", "OAUTHBEARER");
        }
    }

    @Test
    void withoutCapaThereIsNoStls() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("+OK POP3 from 1998")
                .expect("CAPA")
                .send("-ERR unknown command")
                .start()) {
            ProbeReport r = probe(Protocol.POP3, Security.STARTTLS, server);

            assertThat(r.ok()).isFalse();
            assertThat(r.failure()).isEqualTo("server does not offer STARTTLS (no STLS in CAPA)");
            assertThat(r.capabilities()).isEmpty();
        }
    }

    @Test
    void refusedStls() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("+OK ready")
                .expect("CAPA")
                .send("+OK")
                .send("STLS")
                .send(".")
                .expect("STLS")
                .send("-ERR not now")
                .start()) {
            ProbeReport r = probe(Protocol.POP3, Security.STARTTLS, server);

            assertThat(r.failure()).isEqualTo("server refused STARTTLS (STLS): -ERR not now");
        }
    }

    @Test
    void errGreetingIsARefusal() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("-ERR go away")
                .start()) {
            ProbeReport r = probe(Protocol.POP3, Security.TLS, server);

            assertThat(r.failure()).isEqualTo("server refused the connection: -ERR go away");
        }
    }

    @Test
    void anImapServerOnThePop3Port() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .implicitTls(goodTls)
                .send("* OK IMAP ready")
                .start()) {
            ProbeReport r = probe(Protocol.POP3, Security.TLS, server);

            assertThat(r.failure()).isEqualTo("unexpected greeting for POP3 (looks like IMAP): * OK IMAP ready");
        }
    }
}
