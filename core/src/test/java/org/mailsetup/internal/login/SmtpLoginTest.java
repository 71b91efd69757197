package org.mailsetup.internal.login;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailsetup.LoginOutcome;
import org.mailsetup.LoginReport;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.testkit.ScriptedMailServer;

class SmtpLoginTest extends LoginTestSupport {

    @Test
    void authPlainWithAnInitialResponseOnImplicitTlsThenQuit() throws Exception {
        LoginReport r = checkAgainst(Protocol.SMTP, Security.TLS, smtps("AUTH PLAIN LOGIN")
                .expect("AUTH PLAIN " + plainBlob()).send("235 2.7.0 Authentication successful")
                .expect("QUIT").send("221 2.0.0 Bye"), password());

        assertThat(r.outcome()).isEqualTo(LoginOutcome.OK);
        assertThat(r.mechanism()).isEqualTo("PLAIN");
        assertThat(linesReceived(server())).endsWith("QUIT");
        assertThat(server().errors()).isEmpty();
    }

    @Test
    void authPlainAfterStartTlsOnSubmission() throws Exception {
        assertThat(checkAgainst(Protocol.SMTP, Security.STARTTLS, ScriptedMailServer.builder()
                .send("220 " + HOST + " ESMTP")
                .expect("EHLO .*").send("250-" + HOST).send("250 STARTTLS")
                .expect("STARTTLS").send("220 2.0.0 Ready to start TLS").startTls(tls)
                .expect("EHLO .*").send("250-" + HOST).send("250 AUTH PLAIN")
                .expect("AUTH PLAIN " + plainBlob())
                .send("235 2.7.0 Authentication successful"), password()).outcome()).isEqualTo(LoginOutcome.OK);
        assertThat(server().errors()).isEmpty();
    }

    @Test
    void authLoginAnswersBothPrompts() throws Exception {
        LoginReport r = checkAgainst(Protocol.SMTP, Security.TLS, smtps("AUTH LOGIN")
                .expect("AUTH LOGIN")
                .send("334 " + b64("Username:")).expect(b64(USER))
                .send("334 " + b64("Password:")).expect(b64(PASSWORD))
                .send("235 2.7.0 Authentication successful"), password());

        assertSignedIn(r, "LOGIN");
    }

    @Test
    void xoauth2WithAToken() throws Exception {
        assertThat(checkAgainst(Protocol.SMTP, Security.TLS, smtps("AUTH LOGIN PLAIN XOAUTH2")
                .expect("AUTH XOAUTH2 " + b64("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001"))
                .send("235 2.7.0 Accepted"), token()).mechanism()).isEqualTo("XOAUTH2");
    }

    @Test
    void noAuthAtAllIsMechanismUnsupported() throws Exception {
        LoginReport r = checkAgainst(Protocol.SMTP, Security.TLS, smtps("SIZE 35882577", "8BITMIME"), password());

        assertThat(r.outcome()).isEqualTo(LoginOutcome.MECHANISM_UNSUPPORTED);
        assertThat(r.detail()).contains("no password mechanism");
    }
}
