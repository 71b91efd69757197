package org.mailsetup.internal.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailsetup.LoginOutcome;
import org.mailsetup.LoginReport;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.testkit.ScriptedMailServer;

/** Every known provider message of {@code provider-messages.tsv}, as each of its protocols would send it. */
class LoginClassifierTest extends LoginTestSupport {

    static Stream<Arguments> rows() {
        List<Arguments> all = new ArrayList<>();
        for (LoginClassifier.Row row : LoginClassifier.ROWS) {
            for (Protocol p : row.protocols()) {
                all.add(Arguments.of(row.provider() + " " + p.jsonName() + ": " + row.example(), p, row));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachKnownMessageGivesItsOutcomeAndHelpPage(String name, Protocol protocol, LoginClassifier.Row row)
            throws Exception {
        String answer = switch (protocol) {
            case IMAP -> "a1 NO " + row.example();
            case POP3 -> "-ERR " + row.example();
            case SMTP -> "535 " + (Character.isDigit(row.example().charAt(0)) ? "" : "5.7.8 ") + row.example();
        };
        LoginReport r = checkAgainst(protocol, Security.TLS, untilAuthPlain(protocol).send(answer), password());

        assertThat(r.outcome()).isEqualTo(row.outcome());
        assertThat(r.help().url()).isEqualTo(row.url());
        assertThat(r.help().text()).startsWith(row.provider() + ": ");
    }

    /** The protocols' own codes: IMAP RFC 5530, SMTP RFC 3463/4954, POP3 RFC 3206, and answers without one. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "IMAP|NO [AUTHENTICATIONFAILED] Authentication failed.|BAD_CREDENTIALS",
            "IMAP|NO [AUTHORIZATIONFAILED] No such authorization-ID|BAD_CREDENTIALS",
            "IMAP|NO [EXPIRED] That password isn't valid any more|BAD_CREDENTIALS",
            "IMAP|NO [UNAVAILABLE] User's backend down for maintenance|SERVER_ERROR",
            "IMAP|NO [CONTACTADMIN] Your account was disabled|SERVICE_DISABLED",
            "IMAP|NO [LIMIT] Too many connections for this user|ACCOUNT_LOCKED",
            "IMAP|NO [PRIVACYREQUIRED] Connection is not private|TLS_FAILURE",
            "IMAP|NO Authentication failed.|BAD_CREDENTIALS",
            "IMAP|BAD Invalid SASL argument|SERVER_ERROR",
            "SMTP|535 5.7.8 Authentication credentials invalid|BAD_CREDENTIALS",
            "SMTP|534 5.7.9 Application-specific password required|APP_PASSWORD_REQUIRED",
            "SMTP|534 5.7.9 Authentication mechanism is too weak|MECHANISM_UNSUPPORTED",
            "SMTP|454 4.7.0 Temporary authentication failure|SERVER_ERROR",
            "SMTP|530 5.7.0 Must issue a STARTTLS command first|TLS_FAILURE",
            "SMTP|538 5.7.11 Encryption required for requested authentication mechanism|TLS_FAILURE",
            "SMTP|504 5.5.4 Unrecognized authentication type|MECHANISM_UNSUPPORTED",
            "SMTP|535 Incorrect authentication data|BAD_CREDENTIALS",
            "SMTP|421 4.3.2 Service not available, closing channel|SERVER_ERROR",
            "POP3|-ERR [AUTH] Authentication failed.|BAD_CREDENTIALS",
            "POP3|-ERR [SYS/TEMP] Temporary authentication failure.|SERVER_ERROR",
            "POP3|-ERR [SYS/PERM] Mailbox store broken|SERVER_ERROR",
            "POP3|-ERR [IN-USE] Mailbox locked by another session|SERVER_ERROR",
            "POP3|-ERR [LOGIN-DELAY] Wait 5 minutes between logins|ACCOUNT_LOCKED",
            "POP3|-ERR Invalid login|BAD_CREDENTIALS",
    })
    void protocolCodes(Protocol protocol, String answer, LoginOutcome expected) throws Exception {
        LoginReport r = checkAgainst(protocol, Security.TLS, untilAuthPlain(protocol)
                .send(protocol == Protocol.IMAP ? "a1 " + answer : answer), password());

        assertThat(r.outcome()).isEqualTo(expected);
        assertThat(r.response()).isEqualTo(answer);
    }

    private static ScriptedMailServer.Builder untilAuthPlain(Protocol protocol) {
        return switch (protocol) {
            case IMAP -> imaps("SASL-IR AUTH=PLAIN").expect("a1 AUTHENTICATE PLAIN .*");
            case POP3 -> pop3s("SASL PLAIN").expect("AUTH PLAIN .*");
            case SMTP -> smtps("AUTH PLAIN").expect("AUTH PLAIN .*");
        };
    }

    @Test
    void answersOverSeveralLinesAreReadWhole() throws Exception {
        LoginReport imap = checkAgainst(Protocol.IMAP, Security.TLS, untilAuthPlain(Protocol.IMAP)
                .send("* NO [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833")
                .send("a1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)"), password());
        assertThat(imap.outcome()).isEqualTo(LoginOutcome.APP_PASSWORD_REQUIRED);
        assertThat(imap.response()).contains("[ALERT]");

        LoginReport smtp = checkAgainst(Protocol.SMTP, Security.TLS, untilAuthPlain(Protocol.SMTP)
                .send("534-5.7.9 Application-specific password required. Learn more at")
                .send("534 5.7.9 https://support.google.com/mail/?p=InvalidSecondFactor"), password());
        assertThat(smtp.outcome()).isEqualTo(LoginOutcome.APP_PASSWORD_REQUIRED);
        assertThat(smtp.response()).contains("Learn more at").contains("InvalidSecondFactor");
    }

    @Test
    void theTableCoversTheBigProviders() {
        assertThat(LoginClassifier.ROWS).extracting(LoginClassifier.Row::provider)
                .contains("google", "microsoft", "zoho");
        assertThat(LoginClassifier.ROWS).allSatisfy(r -> assertThat(r.pattern().matcher(r.example()).find()).isTrue());
    }

    @Test
    void aSpecificCodeIsNotOverriddenByAProviderText() {
        LoginClassifier.Verdict v = LoginClassifier.classify(Protocol.IMAP,
                "a1 NO [CONTACTADMIN] Too many simultaneous connections", "NO [CONTACTADMIN] Too many simultaneous connections", true);
        assertThat(v.outcome()).isEqualTo(LoginOutcome.SERVICE_DISABLED);
        assertThat(v.help()).isNull();
    }
}
