package org.mailsetup.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailsetup.Credentials;
import org.mailsetup.Endpoint;
import org.mailsetup.LoginCheck;
import org.mailsetup.LoginOptions;
import org.mailsetup.LoginOutcome;
import org.mailsetup.LoginReport;
import org.mailsetup.MailSetup;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.SourceName;
import org.mailsetup.testkit.E2eServers;
import org.mailsetup.testkit.FakeDnsServer;

/**
 * Login checks against the real Dovecot (IMAP, POP3) and Postfix (submission, SASL through Dovecot) of
 * {@code scripts/e2e-servers.sh}, with the script's account. OAuth2 is checked against scripted servers
 * ({@code ImapLoginTest}, {@code SmtpLoginTest}, {@code Pop3LoginTest}): the shared servers run without an
 * OAuth2 passdb.
 */
@Tag("e2e")
class LoginE2eTest {

    /** Closed after the class: the fake DNS naming the lab hosts, and a MailSetup that trusts the lab's CA. */
    @AutoClose
    private static Lab lab;

    private static final class Lab implements AutoCloseable {
        final FakeDnsServer dns;
        final MailSetup mailSetup;

        Lab() throws Exception {
            dns = E2eServers.namesFor(new FakeDnsServer().start()).mx("good.test", 10, "mail.good.test")
                    .srv("_imaps._tcp.good.test", 0, 1, 993, "mail.good.test")
                    .srv("_submissions._tcp.good.test", 0, 1, 465, "mail.good.test");
            // No ISPDB (the fake DNS has no thunderbird.net) and no result cache: every check looks up anew.
            mailSetup = MailSetup.builder().dnsServer(dns.address()).allowNetwork("127.0.0.0/8")
                    .caFile(E2eServers.workDir().resolve("pki/ca.pem")).disable(SourceName.ISPDB)
                    .cache(0, Duration.ZERO).timeout(Duration.ofSeconds(10)).build();
        }

        @Override
        public void close() {
            mailSetup.close();
            dns.close();
        }
    }

    @BeforeAll
    static void startLab() throws Exception {
        lab = E2eServers.running() ? new Lab() : null;
    }

    @BeforeEach
    void serversRunning() {
        E2eServers.assumeRunning();
    }

    private static LoginReport check(Protocol p, String host, int port, Security s, String user, String password,
                                     LoginOptions options) {
        return lab.mailSetup.checkLoginBlocking(new Endpoint(p, host, port, s),
                Credentials.password(user, password.toCharArray()), options);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "IMAP, 993, TLS", "IMAP, 143, STARTTLS",
            "POP3, 995, TLS", "POP3, 110, STARTTLS",
            "SMTP, 465, TLS", "SMTP, 587, STARTTLS",
    })
    void theRightPasswordSignsInAndAWrongOneIsBadCredentials(Protocol p, int port, Security s) {
        E2eServers.Account account = E2eServers.account();

        LoginReport good = check(p, "mail.good.test", port, s, account.username(), account.password(),
                LoginOptions.DEFAULTS);
        assertThat(good.outcome()).as(good.toString()).isEqualTo(LoginOutcome.OK);
        assertThat(good.mechanism()).isEqualTo("PLAIN");
        assertThat(good.address()).isEqualTo(E2eServers.GOOD);

        LoginReport wrong = check(p, "mail.good.test", port, s, account.username(), "not-" + account.password(),
                LoginOptions.DEFAULTS);
        assertThat(wrong.outcome()).as(wrong.toString()).isEqualTo(LoginOutcome.BAD_CREDENTIALS);
        assertThat(wrong.response()).doesNotContain(account.password());
    }

    @Test
    void lookupAndCheckTriesTheOtherUsernameFormOnce() {
        E2eServers.Account account = E2eServers.account();

        // The answer's form is %EMAILADDRESS%; the passwd-file user is the bare name.
        LoginCheck c = lab.mailSetup.lookupAndCheckBlocking(account.username() + "@good.test",
                Credentials.password(null, account.password().toCharArray()));

        assertThat(c.ok()).as(c.incoming() + " / " + c.outgoing()).isTrue();
        for (LoginReport r : List.of(c.incoming(), c.outgoing())) {
            assertThat(r.username()).isEqualTo(account.username());
            assertThat(r.warnings()).singleElement().asString().contains("was refused").contains("once: ok");
        }
        assertThat(c.incoming().endpoint()).isEqualTo(new Endpoint(Protocol.IMAP, "mail.good.test", 993, Security.TLS));
        assertThat(c.outgoing().endpoint().protocol()).isEqualTo(Protocol.SMTP);
    }

    @Test
    void loginDisabledBeforeStartTlsIsRespectedOverPlainText() {
        // Dovecot says LOGINDISABLED and offers no mechanism before STARTTLS: nothing is sent even when allowed.
        LoginReport r = check(Protocol.IMAP, "mail.good.test", 143, Security.PLAIN, "nobody-e2e", "any-password",
                LoginOptions.DEFAULTS.withAllowPlaintext(true));

        assertThat(r.outcome()).isEqualTo(LoginOutcome.MECHANISM_UNSUPPORTED);
        assertThat(r.detail()).contains("LOGINDISABLED");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"IMAP, 143", "POP3, 110", "SMTP, 587"})
    void aPlainTextServerSignsInWhenAllowedWithAWarning(Protocol p, int port) {
        E2eServers.Account account = E2eServers.account();

        LoginReport r = check(p, "mail.plain.test", port, Security.PLAIN, account.username(), account.password(),
                LoginOptions.DEFAULTS.withAllowPlaintext(true));

        assertThat(r.outcome()).as(r.toString()).isEqualTo(LoginOutcome.OK);
        assertThat(r.warnings()).anyMatch(w -> w.contains("plain text"));
    }

    /** Plain text without allowPlaintext is refused before connecting; a certificate for another name after TLS. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"smtp://mail.plain.test:587/plain", "smtp://mail.wrongname.test:465/tls"})
    void noPasswordLeavesWithoutAValidatedTlsChannel(String endpoint) {
        LoginReport r = lab.mailSetup.checkLoginBlocking(Endpoint.parse(endpoint),
                Credentials.password("nobody-e2e", "any-password".toCharArray()), LoginOptions.DEFAULTS);

        assertThat(r.outcome()).isEqualTo(LoginOutcome.TLS_FAILURE);
        assertThat(r.mechanism()).isNull();
    }
}
