package org.mailsetup.internal.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mailsetup.Credentials;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;
import org.mailsetup.LoginCheck;
import org.mailsetup.LoginOptions;
import org.mailsetup.LoginOutcome;
import org.mailsetup.Protocol;
import org.mailsetup.ProviderInfo;
import org.mailsetup.Security;
import org.mailsetup.ServerSettings;
import org.mailsetup.SourceName;
import org.mailsetup.config.ProviderNote;
import org.mailsetup.internal.probe.TestPki;
import org.mailsetup.testkit.ScriptedMailServer;

class AccountCheckTest extends LoginTestSupport {

    private static final EmailAddress BOB = EmailAddress.parse("bob@example.test");
    private final AccountCheck accounts = new AccountCheck(checker, Executors.newVirtualThreadPerTaskExecutor());

    /** An IMAP server on implicit TLS that accepts exactly this username and password with AUTHENTICATE PLAIN. */
    private static ScriptedMailServer.Builder imapAccepting(String user, String password) {
        return imaps("SASL-IR AUTH=PLAIN").answer(imapAnswers(user, password));
    }

    private static Function<String, String> imapAnswers(String user, String password) {
        return line -> {
            String tag = line.split(" ")[0];
            if (line.endsWith("LOGOUT")) {
                return "* BYE\n" + tag + " OK bye";
            }
            String[] blob = new String(Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1)),
                    StandardCharsets.UTF_8).split("\0", -1);
            return blob.length == 3 && blob[1].equals(user) && blob[2].equals(password) ? tag + " OK Logged in"
                    : tag + " NO [AUTHENTICATIONFAILED] Authentication failed.";
        };
    }

    private static ScriptedMailServer.Builder smtpAccepting(String user, String password) {
        String good = "AUTH PLAIN " + Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
                .getBytes(StandardCharsets.UTF_8));
        return smtps("AUTH PLAIN").answer(line -> line.equals("QUIT") ? "221 bye"
                : line.equals(good) ? "235 2.7.0 ok" : "535 5.7.8 Authentication credentials invalid");
    }

    private static ServerSettings setting(Protocol p, ScriptedMailServer s, String template, boolean verified) {
        String user = template.replace("%EMAILADDRESS%", BOB.address()).replace("%EMAILLOCALPART%", BOB.localPart());
        return new ServerSettings(p, HOST, s.port(), Security.TLS, user, template, List.of("password-cleartext"), true,
                verified, List.of(SourceName.SRV), null);
    }

    private static DiscoveryResult result(ProviderInfo provider, List<ServerSettings> in, List<ServerSettings> out) {
        return new DiscoveryResult(BOB.address(), BOB.domain(), provider, in, out, List.of(), List.of(), 10, null);
    }

    private LoginCheck run(DiscoveryResult r, Credentials c) {
        try (c) {
            return accounts.run(r, BOB, c, LoginOptions.DEFAULTS.withTimeout(Duration.ofSeconds(8)));
        }
    }

    private static Credentials bobsPassword() {
        return Credentials.password(null, PASSWORD.toCharArray());
    }

    @Test
    void bothDirectionsAreCheckedWithTheAnswersUsernames() throws Exception {
        try (ScriptedMailServer imap = imapAccepting(BOB.address(), PASSWORD).start();
             ScriptedMailServer smtp = smtpAccepting(BOB.address(), PASSWORD).start()) {
            LoginCheck c = run(result(null, List.of(setting(Protocol.IMAP, imap, "%EMAILADDRESS%", true)),
                    List.of(setting(Protocol.SMTP, smtp, "%EMAILADDRESS%", true))), bobsPassword());

            assertThat(c.ok()).isTrue();
            assertThat(c.incoming().username()).isEqualTo(BOB.address());
            assertThat(c.outgoing().outcome()).isEqualTo(LoginOutcome.OK);
        }
    }

    @Test
    void theOtherUsernameFormIsTriedOnceAndSaidSo() throws Exception {
        try (ScriptedMailServer imap = imapAccepting("bob", PASSWORD).start();
             ScriptedMailServer smtp = smtpAccepting("nobody", PASSWORD).start()) {
            LoginCheck c = run(result(null, List.of(setting(Protocol.IMAP, imap, "%EMAILADDRESS%", true)),
                    List.of(setting(Protocol.SMTP, smtp, "%EMAILLOCALPART%", true))), bobsPassword());

            assertThat(c.incoming().outcome()).isEqualTo(LoginOutcome.OK);
            assertThat(c.incoming().username()).isEqualTo("bob");
            assertThat(c.incoming().warnings()).singleElement().asString()
                    .contains("bob@example.test was refused").contains("other form, bob, once: ok");
            // Both forms refused: two attempts, no third.
            assertThat(c.outgoing().outcome()).isEqualTo(LoginOutcome.BAD_CREDENTIALS);
            assertThat(c.outgoing().username()).isEqualTo(BOB.address());
            smtp.awaitIdle(Duration.ofSeconds(5));
            assertThat(smtp.received()).filteredOn(l -> l.startsWith("AUTH")).hasSize(2);
        }
    }

    @Test
    void aRefusedPasswordIsNeverTriedOnTheNextServer() throws Exception {
        try (ScriptedMailServer imap = imapAccepting("someone-else", PASSWORD).start();
             ScriptedMailServer pop = pop3s("SASL PLAIN").expect("AUTH PLAIN .*").send("+OK").start();
             ScriptedMailServer smtp = smtpAccepting(BOB.address(), PASSWORD).start()) {
            LoginCheck c = run(result(null, List.of(setting(Protocol.IMAP, imap, "bob-literal", true),
                            setting(Protocol.POP3, pop, "bob-literal", true)),
                    List.of(setting(Protocol.SMTP, smtp, "%EMAILADDRESS%", true))), bobsPassword());

            assertThat(c.incoming().outcome()).isEqualTo(LoginOutcome.BAD_CREDENTIALS);
            assertThat(c.incoming().endpoint().protocol()).isEqualTo(Protocol.IMAP);
            assertThat(pop.connections()).isZero();
        }
    }

    @Test
    void aServerSideFailureFallsBackToTheNextVerifiedServer() throws Exception {
        try (ScriptedMailServer broken = ScriptedMailServer.builder()
                .implicitTls(TestPki.selfSignedContext(TestPki.selfSigned(HOST))).send("* OK hi").start();
             ScriptedMailServer unverified = imapAccepting(BOB.address(), PASSWORD).start();
             ScriptedMailServer good = imapAccepting(BOB.address(), PASSWORD).start();
             ScriptedMailServer smtp = smtpAccepting(BOB.address(), PASSWORD).start()) {
            LoginCheck c = run(result(null, List.of(setting(Protocol.IMAP, broken, "%EMAILADDRESS%", true),
                            setting(Protocol.IMAP, unverified, "%EMAILADDRESS%", false),
                            setting(Protocol.IMAP, good, "%EMAILADDRESS%", true)),
                    List.of(setting(Protocol.SMTP, smtp, "%EMAILADDRESS%", true))), bobsPassword());

            assertThat(c.incoming().outcome()).isEqualTo(LoginOutcome.OK);
            assertThat(c.incoming().endpoint().port()).isEqualTo(good.port());
            assertThat(c.incoming().warnings()).singleElement().asString().startsWith("fell back from")
                    .contains("tls-failure");
            assertThat(unverified.connections()).isZero();
        }
    }

    @Test
    void aRefusalAtAProviderWithAnAppPasswordNoteCarriesIt() throws Exception {
        ProviderNote note = new ProviderNote("app-password", "https://help.example.test/app-passwords",
                "Mail apps need an app password.");
        try (ScriptedMailServer imap = imapAccepting("nobody", PASSWORD).start();
             ScriptedMailServer smtp = smtpAccepting(BOB.address(), PASSWORD).start()) {
            LoginCheck c = run(result(new ProviderInfo("example.test", "Example", List.of(note), null),
                    List.of(setting(Protocol.IMAP, imap, "bob", true)),
                    List.of(setting(Protocol.SMTP, smtp, "%EMAILADDRESS%", true))), bobsPassword());

            assertThat(c.incoming().outcome()).isEqualTo(LoginOutcome.BAD_CREDENTIALS);
            assertThat(c.incoming().help()).isEqualTo(note);
            assertThat(c.outgoing().help()).isNull();
        }
    }

    @Test
    void theEntrysFirstNoteThatFitsIsTakenWithOrWithoutAPage() throws Exception {
        ProviderNote enable = new ProviderNote("enable-imap", null, "IMAP/POP access must be enabled in the web settings.");
        ProviderNote app = new ProviderNote("app-password", null, "With two-factor authentication an app password.");
        ProviderNote paidPlan = new ProviderNote("paid-plan", null, "IMAP needs a paid plan.");
        try (ScriptedMailServer imap = imapAccepting("nobody", PASSWORD).start();
             ScriptedMailServer smtp = smtpAccepting("nobody", PASSWORD).start()) {
            LoginCheck c = run(result(new ProviderInfo("gmx.example", "GMX-like", List.of(paidPlan, enable, app), null),
                    List.of(setting(Protocol.IMAP, imap, "bob", true)),
                    List.of(setting(Protocol.SMTP, smtp, "bob", true))), bobsPassword());

            assertThat(c.incoming().help()).isEqualTo(enable);
            assertThat(c.outgoing().help()).isEqualTo(enable);
        }
    }

    @Test
    void aDirectionWithoutVerifiedServersHasNoReport() throws Exception {
        try (ScriptedMailServer smtp = smtpAccepting(BOB.address(), PASSWORD).start()) {
            LoginCheck c = run(result(null, List.of(), List.of(setting(Protocol.SMTP, smtp, "%EMAILADDRESS%", true))),
                    bobsPassword());
            assertThat(c.incoming()).isNull();
            assertThat(c.outgoing().ok()).isTrue();
            assertThat(c.ok()).isFalse();
        }
    }

    @Test
    void otherFormsOnlyForTheTwoStandardTemplates() {
        assertThat(AccountCheck.otherForm("%EMAILADDRESS%", BOB)).isEqualTo("bob");
        assertThat(AccountCheck.otherForm("%EMAILLOCALPART%", BOB)).isEqualTo("bob@example.test");
        assertThat(AccountCheck.otherForm("bob", BOB)).isNull();
        assertThat(AccountCheck.otherForm(null, BOB)).isNull();
    }
}
