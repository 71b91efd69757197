package org.mailsetup.internal.login;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mailsetup.LoginReport;
import org.mailsetup.Protocol;
import org.mailsetup.Security;

class Pop3LoginTest extends LoginTestSupport {

    @Test
    void authPlainWithAnInitialResponseThenQuit() throws Exception {
        LoginReport r = checkAgainst(Protocol.POP3, Security.TLS, pop3s("USER", "SASL PLAIN LOGIN")
                .expect("AUTH PLAIN " + plainBlob()).send("+OK Logged in.")
                .expect("QUIT").send("+OK Logging out."), password());

        assertThat(r.mechanism()).isEqualTo("PLAIN");
        assertThat(r.ok()).isTrue();
        assertThat(linesReceived(server())).endsWith("QUIT");
    }

    @Test
    void userAndPassWhenNoSaslIsOffered() throws Exception {
        LoginReport r = checkAgainst(Protocol.POP3, Security.TLS, pop3s("USER", "UIDL")
                .expect("USER " + USER).send("+OK")
                .expect("PASS " + PASSWORD).send("+OK Logged in."), password());

        assertSignedIn(r, "USER");
    }

    @Test
    void xoauth2WithAToken() throws Exception {
        String xoauth2 = b64("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001");
        assertSignedIn(checkAgainst(Protocol.POP3, Security.TLS,
                pop3s("USER", "SASL PLAIN XOAUTH2").expect("AUTH XOAUTH2 " + xoauth2).send("+OK Welcome."), token()),
                "XOAUTH2");
    }
}
