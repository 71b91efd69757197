package org.mailsetup.internal.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailsetup.Credentials;
import org.mailsetup.Endpoint;
import org.mailsetup.LoginOptions;
import org.mailsetup.LoginOutcome;
import org.mailsetup.LoginReport;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.probe.TestPki;
import org.mailsetup.testkit.ScriptedMailServer;

class ImapLoginTest extends LoginTestSupport {

    @Test
    void authenticatePlainWithAnInitialResponseWhenSaslIrIsAdvertised() throws Exception {
        LoginReport r = checkAgainst(Protocol.IMAP, Security.TLS, imaps("SASL-IR AUTH=PLAIN")
                .expect("a1 AUTHENTICATE PLAIN " + plainBlob())
                .send("a1 OK [CAPABILITY IMAP4rev1] Logged in")
                .expect("a2 LOGOUT")
                .send("* BYE").send("a2 OK bye"), password());

        assertThat(r.outcome()).isEqualTo(LoginOutcome.OK);
        assertThat(r.mechanism()).isEqualTo("PLAIN");
        assertThat(r.username()).isEqualTo(USER);
        assertThat(r.address()).isEqualTo("127.0.0.1");
        assertThat(r.warnings()).isEmpty();
        assertThat(linesReceived(server())).containsExactly("a1 AUTHENTICATE PLAIN " + plainBlob(), "a2 LOGOUT");
        assertThat(server().errors()).isEmpty();
    }

    @Test
    void authenticatePlainWaitsForTheContinuationWithoutSaslIr() throws Exception {
        assertThat(checkAgainst(Protocol.IMAP, Security.TLS, imaps("AUTH=PLAIN")
                .expect("a1 AUTHENTICATE PLAIN").send("+ ").expect(plainBlob()).send("a1 OK Logged in"), password())
                .outcome()).isEqualTo(LoginOutcome.OK);
        assertThat(server().errors()).isEmpty();
    }

    @Test
    void theLoginCommandQuotesWhenNoSaslPasswordMechanismIsOffered() throws Exception {
        LoginReport r = checkAgainst(Protocol.IMAP, Security.TLS, imaps("ID")
                .expect("a1 LOGIN \"alice@example.test\" \"pa\\\\\"ss\\\\\\\\word\"").send("a1 OK Logged in"),
                Credentials.password(USER, "pa\"ss\\word".toCharArray()));

        assertSignedIn(r, "LOGIN");
    }

    @Test
    void loginDisabledWithoutAuthPlainIsMechanismUnsupportedAndNothingIsSent() throws Exception {
        LoginReport r = checkAgainst(Protocol.IMAP, Security.TLS,
                imaps("LOGINDISABLED AUTH=GSSAPI").expect("a1 LOGOUT").send("a1 OK bye"), password());

        assertThat(r.outcome()).isEqualTo(LoginOutcome.MECHANISM_UNSUPPORTED);
        assertThat(r.detail()).contains("LOGINDISABLED");
        assertThat(r.mechanism()).isNull();
        assertThat(linesReceived(server())).containsExactly("a1 LOGOUT");
    }

    @Test
    void afterStartTlsTheNewCapabilitiesDecide() throws Exception {
        LoginReport r = checkAgainst(Protocol.IMAP, Security.STARTTLS, ScriptedMailServer.builder()
                .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready")
                .expect("a1 STARTTLS").send("a1 OK begin TLS").startTls(tls)
                .expect("a2 CAPABILITY").send("* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN").send("a2 OK done")
                .expect("a3 AUTHENTICATE PLAIN " + plainBlob())
                .send("a3 OK Logged in"), password());

        assertThat(r.outcome()).isEqualTo(LoginOutcome.OK);
        assertThat(server().errors()).isEmpty();
    }

    @Test
    void oauthBearerIsPreferredToXoauth2ForAToken() throws Exception {
        LoginReport r = checkAgainst(Protocol.IMAP, Security.TLS, imaps("SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER AUTH=PLAIN")
                .expect("a1 AUTHENTICATE OAUTHBEARER .*").send("a1 OK Logged in"), token());

        assertThat(r.outcome()).isEqualTo(LoginOutcome.OK);
        assertThat(r.mechanism()).isEqualTo("OAUTHBEARER");
        assertThat(linesReceived(server()).get(0)).isEqualTo("a1 AUTHENTICATE OAUTHBEARER " + b64("n,a=" + USER
                + ",\u0001host=" + HOST + "\u0001port=" + server().port() + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001"));
    }

    @Test
    void aRefusedXoauth2TokenGetsTheEmptyAnswerAndTheErrorDocumentIsReported() throws Exception {
        String error = "{\"status\":\"401\",\"schemes\":\"Bearer\",\"scope\":\"https://mail.google.com/\"}";
        LoginReport r = checkAgainst(Protocol.IMAP, Security.TLS, imaps("SASL-IR AUTH=XOAUTH2")
                .expect("a1 AUTHENTICATE XOAUTH2 " + b64("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001"))
                .send("+ " + b64(error))
                .expect("")
                .send("a1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)"), token());

        assertThat(r.outcome()).isEqualTo(LoginOutcome.BAD_CREDENTIALS);
        assertThat(r.mechanism()).isEqualTo("XOAUTH2");
        assertThat(r.response()).contains("Invalid credentials").contains("\"status\":\"401\"");
        assertThat(server().errors()).isEmpty();
    }

    @ParameterizedTest(name = "{0} with a token: {1}")
    @CsvSource({
            "SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER LOGINDISABLED, false, OAUTH_REQUIRED, only OAuth2",
            "SASL-IR AUTH=PLAIN, true, MECHANISM_UNSUPPORTED, no OAuth2 mechanism",
    })
    void aCredentialNoMechanismFitsIsNeverSent(String caps, boolean token, LoginOutcome expected, String why)
            throws Exception {
        LoginReport r = checkAgainst(Protocol.IMAP, Security.TLS, imaps(caps), token ? token() : password());

        assertThat(r.outcome()).isEqualTo(expected);
        assertThat(r.detail()).contains(why);
        assertThat(linesReceived(server())).noneMatch(l -> l.contains("AUTHENTICATE") || l.contains("LOGIN "));
    }

    @Test
    void cramMd5IsPreferredAndAnsweredByTheJdkSaslClient() throws Exception {
        String challenge = "<1896.697170952@postoffice.example.net>";
        Mac mac = Mac.getInstance("HmacMD5");
        mac.init(new SecretKeySpec(PASSWORD.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
        String expected = USER + " " + HexFormat.of().formatHex(mac.doFinal(challenge.getBytes(StandardCharsets.UTF_8)));
        LoginReport r = checkAgainst(Protocol.IMAP, Security.TLS, imaps("SASL-IR AUTH=PLAIN AUTH=CRAM-MD5")
                .expect("a1 AUTHENTICATE CRAM-MD5")
                .send("+ " + b64(challenge))
                .expect(Base64.getEncoder().encodeToString(expected.getBytes(StandardCharsets.UTF_8)))
                .send("a1 OK Logged in"), password());

        assertSignedIn(r, "CRAM-MD5");
    }

    @Test
    void aServerThatHangsUpAfterAuthIsANetworkFailure() throws Exception {
        LoginReport r = checkAgainst(Protocol.IMAP, Security.TLS,
                imaps("SASL-IR AUTH=PLAIN").expect("a1 AUTHENTICATE .*").close(), password());

        assertThat(r.outcome()).isEqualTo(LoginOutcome.NETWORK_FAILURE);
        assertThat(r.detail()).contains("closed the connection");
    }

    @Test
    void aServerThatNeverAnswersAuthTimesOutWithinTheOptionsTimeout() throws Exception {
        start(imaps("SASL-IR AUTH=PLAIN").expect("a1 AUTHENTICATE .*").neverSpeak());

        long t0 = System.nanoTime();
        LoginReport r = check(Protocol.IMAP, Security.TLS, server(), password(),
                LoginOptions.DEFAULTS.withTimeout(Duration.ofSeconds(1)));

        assertThat(r.outcome()).isEqualTo(LoginOutcome.TIMEOUT);
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(900L, 3_000L);
    }

    @Test
    void aRefusalDelayedOnPurposeIsWaitedForUntilTheLoginsDeadline() throws Exception {
        // Longer than the 3 s a probe gives each answer: servers hold a refusal back against password guessing.
        LoginReport r = checkAgainst(Protocol.IMAP, Security.TLS, imaps("SASL-IR AUTH=PLAIN").expect("a1 AUTHENTICATE .*")
                .sleep(Duration.ofMillis(3_500)).send("a1 NO [AUTHENTICATIONFAILED] Authentication failed."), password());

        assertThat(r.outcome()).isEqualTo(LoginOutcome.BAD_CREDENTIALS);
        assertThat(r.elapsedMs()).isGreaterThanOrEqualTo(3_500);
    }

    @Test
    void anEchoOfTheCredentialIsCutFromTheReport() throws Exception {
        LoginReport r = checkAgainst(Protocol.IMAP, Security.TLS, imaps("SASL-IR AUTH=PLAIN").expect("a1 AUTHENTICATE .*")
                .send("a1 NO [AUTHENTICATIONFAILED] bad password " + PASSWORD + " in " + plainBlob() + " or "
                        + b64(PASSWORD)), password());

        assertThat(r.outcome()).isEqualTo(LoginOutcome.BAD_CREDENTIALS);
        assertThat(r.response()).doesNotContain(PASSWORD).doesNotContain(plainBlob()).doesNotContain(b64(PASSWORD))
                .isEqualTo("NO [AUTHENTICATIONFAILED] bad password *** in *** or ***");
    }

    @Test
    void theResponseIsOneLineOfAtMost300Characters() throws Exception {
        LoginReport r = checkAgainst(Protocol.IMAP, Security.TLS, imaps("SASL-IR AUTH=PLAIN").expect("a1 AUTHENTICATE .*")
                .send("a1 NO [AUTHENTICATIONFAILED] " + "x\u0007".repeat(400)), password());

        assertThat(r.response()).hasSize(LoginChecker.MAX_RESPONSE).doesNotContain("\u0007").endsWith("…");
    }

    @Test
    void plainTextIsRefusedWithoutConnectingUnlessAllowed() throws Exception {
        LoginReport refused = checkAgainst(Protocol.IMAP, Security.PLAIN, ScriptedMailServer.builder()
                .send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi")
                .expect("a1 AUTHENTICATE PLAIN").send("+ ").expect(plainBlob()).send("a1 OK Logged in"), password());
        assertThat(refused.outcome()).isEqualTo(LoginOutcome.TLS_FAILURE);
        assertThat(refused.detail()).contains("without TLS");
        assertThat(server().connections()).isZero();

        LoginReport allowed = check(Protocol.IMAP, Security.PLAIN, server(), password(),
                LoginOptions.DEFAULTS.withAllowPlaintext(true));
        assertThat(allowed.outcome()).isEqualTo(LoginOutcome.OK);
        assertThat(allowed.warnings()).anyMatch(w -> w.contains("plain text"));
    }

    @Test
    void anInvalidCertificateIsATlsFailureAndNothingIsSent() throws Exception {
        LoginReport r = checkAgainst(Protocol.IMAP, Security.TLS, ScriptedMailServer.builder()
                .implicitTls(TestPki.selfSignedContext(TestPki.selfSigned(HOST)))
                .send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi"), password());

        assertThat(r.outcome()).isEqualTo(LoginOutcome.TLS_FAILURE);
        assertThat(server().received()).isEmpty();
    }

    @Test
    void aMissingStartTlsIsATlsFailureNeverAPlainLogin() throws Exception {
        LoginReport r = checkAgainst(Protocol.IMAP, Security.STARTTLS,
                ScriptedMailServer.builder().send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi"), password());

        assertThat(r.outcome()).isEqualTo(LoginOutcome.TLS_FAILURE);
        assertThat(r.detail()).contains("STARTTLS");
        assertThat(linesReceived(server())).noneMatch(l -> l.contains("AUTHENTICATE"));
    }

    @Test
    void aRefusedPortIsANetworkFailure() throws Exception {
        int port;
        try (ScriptedMailServer gone = ScriptedMailServer.builder().start()) {
            port = gone.port();
        }
        assertThat(checkEndpoint(new Endpoint(Protocol.IMAP, HOST, port, Security.TLS)).outcome())
                .isEqualTo(LoginOutcome.NETWORK_FAILURE);
    }

    @Test
    void aHostThePolicyRefusesIsANetworkFailureWithoutAConnection() {
        LoginReport r = checkEndpoint(new Endpoint(Protocol.IMAP, "inside.example.test", 993, Security.TLS));
        assertThat(r.outcome()).isEqualTo(LoginOutcome.NETWORK_FAILURE);
        assertThat(r.detail()).contains("network policy");
    }

    @Test
    void aUsernameWithALineBreakIsNeverSent() throws Exception {
        start(imaps("SASL-IR AUTH=PLAIN"));
        try (Credentials c = password()) {
            LoginReport r = checker.check(new Endpoint(Protocol.IMAP, HOST, server().port(), Security.TLS),
                    "bob\r\na2 DELETE INBOX", c, LoginOptions.DEFAULTS, null, Deadline.after(Duration.ofSeconds(3)));
            assertThat(r.outcome()).isEqualTo(LoginOutcome.MECHANISM_UNSUPPORTED);
            assertThat(r.detail()).contains("control characters");
        }
        assertThat(server().connections()).isZero();
    }

    private static LoginReport checkEndpoint(Endpoint e) {
        try (Credentials c = password()) {
            return checker.check(e, USER, c, LoginOptions.DEFAULTS, null, Deadline.after(Duration.ofSeconds(3)));
        }
    }
}
