package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailsetup.internal.probe.TestPki;
import org.mailsetup.testkit.FakeDnsServer;
import org.mailsetup.testkit.ScriptedMailServer;

/** The public login API: lookup and check together, and that the secret goes nowhere but to the server. */
class MailSetupLoginTest {

    private static final String PASSWORD = "correct-Horse-77";
    private static final TestPki PKI = new TestPki();
    private static FakeDnsServer dns;
    /** The servers and MailSetups a test made, closed after it. */
    private final Deque<AutoCloseable> made = new ArrayDeque<>();

    @BeforeAll
    static void startDns() throws Exception {
        dns = new FakeDnsServer().start();
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    @AfterEach
    void closeWhatWasMade() throws Exception {
        while (!made.isEmpty()) {
            made.pop().close();
        }
    }

    private <T extends AutoCloseable> T later(T c) {
        made.push(c);
        return c;
    }

    private MailSetup mailSetup() {
        return later(MailSetup.builder().dnsServer(dns.address()).allowNetwork("127.0.0.0/8")
                .trustCertificates(List.of(PKI.caCertificate())).timeout(Duration.ofSeconds(5)).build());
    }

    private static SSLContext tls(String... names) {
        return PKI.serverContext(PKI.server(names));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** IMAP that answers a probe and accepts bob's password; a refusal echoes the password back (careless servers do). */
    private ScriptedMailServer imap(String host) throws Exception {
        String good = b64("\0bob@login.test\0" + PASSWORD);
        return later(ScriptedMailServer.builder().implicitTls(tls(host))
                .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready")
                .answer(line -> {
                    String tag = line.split(" ")[0];
                    if (line.endsWith("LOGOUT")) {
                        return "* BYE\n" + tag + " OK bye";
                    }
                    String sent = line.substring(line.lastIndexOf(' ') + 1);
                    return sent.equals(good) ? tag + " OK Logged in"
                            : tag + " NO [AUTHENTICATIONFAILED] bad password " + new String(Base64.getDecoder()
                                    .decode(sent), StandardCharsets.UTF_8).replace('\0', ' ') + " / " + sent;
                }).start());
    }

    private ScriptedMailServer smtp(String host) throws Exception {
        return later(ScriptedMailServer.builder().implicitTls(tls(host)).send("220 " + host + " ESMTP")
                .answer(line -> line.startsWith("EHLO") ? "250-" + host + "\n250 AUTH PLAIN"
                        : line.equals("QUIT") ? "221 bye"
                        : line.equals("AUTH PLAIN " + b64("\0bob@login.test\0" + PASSWORD)) ? "235 2.7.0 ok"
                        : "535 5.7.8 Authentication credentials invalid").start());
    }

    /** login.test, with its IMAP and SMTP servers named by SRV records; returns the IMAP server. */
    private ScriptedMailServer srvDomain() throws Exception {
        ScriptedMailServer in = imap("imap.login.test");
        ScriptedMailServer out = smtp("smtp.login.test");
        dns.mx("login.test", 10, "mx.login.test")
                .srv("_imaps._tcp.login.test", 0, 1, in.port(), "imap.login.test")
                .srv("_submissions._tcp.login.test", 0, 1, out.port(), "smtp.login.test")
                .a("imap.login.test", "127.0.0.1").a("smtp.login.test", "127.0.0.1");
        return in;
    }

    @Test
    void lookupAndCheckSignsInToTheBestVerifiedServerOfEachDirection() throws Exception {
        srvDomain();
        char[] secret = PASSWORD.toCharArray();

        LoginCheck c = mailSetup().lookupAndCheckBlocking("bob@login.test", Credentials.password(null, secret));

        assertThat(c.lookup().isSuccess()).isTrue();
        assertThat(c.incoming().outcome()).isEqualTo(LoginOutcome.OK);
        assertThat(c.incoming().endpoint().host()).isEqualTo("imap.login.test");
        assertThat(c.incoming().address()).isEqualTo("127.0.0.1");
        assertThat(c.outgoing().outcome()).isEqualTo(LoginOutcome.OK);
        assertThat(c.ok()).isTrue();
        assertThat(new String(secret)).isEqualTo("\0".repeat(PASSWORD.length()));
    }

    @Test
    void anInvalidAddressIsTheLookupsErrorAndStillZeroesTheSecret() {
        char[] secret = PASSWORD.toCharArray();
        LoginCheck c = mailSetup().lookupAndCheckBlocking("not an address", Credentials.password(null, secret));
        assertThat(c.lookup().error().code()).isEqualTo(LookupError.Code.INVALID_EMAIL);
        assertThat(c.incoming()).isNull();
        assertThat(secret).containsOnly('\0');
    }

    @Test
    void checkLoginNeedsAUsernameAndACredentialServesOnce() throws Exception {
        MailSetup m = mailSetup();
        Endpoint e = new Endpoint(Protocol.IMAP, "imap.login.test", 993, Security.TLS);
        assertThatThrownBy(() -> m.checkLogin(e, Credentials.password(null, PASSWORD.toCharArray()), LoginOptions.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("username");
        Credentials used = Credentials.password("bob", PASSWORD.toCharArray());
        used.close();
        assertThatThrownBy(used::secret).isInstanceOf(IllegalStateException.class).hasMessageNotContaining(PASSWORD);
    }

    @Test
    void theSecretIsInNoLogLineExceptionReportOrToStringAndIsZeroed() throws Exception {
        ScriptedMailServer imap = srvDomain();
        ScriptedMailServer silent = later(ScriptedMailServer.builder().implicitTls(tls("imap.login.test"))
                .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready").expect("a1 AUTHENTICATE .*").neverSpeak()
                .start());
        ScriptedMailServer hangUp = later(ScriptedMailServer.builder().implicitTls(tls("imap.login.test"))
                .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready").expect("a1 AUTHENTICATE .*").close()
                .start());
        ScriptedMailServer malformed = later(ScriptedMailServer.builder().implicitTls(tls("imap.login.test"))
                .send("220 mail").expect("EHLO .*").send("250 AUTH PLAIN").expect("AUTH PLAIN .*")
                .send("23x " + PASSWORD).start());
        MailSetup m = mailSetup();
        ObjectMapper json = new ObjectMapper();
        List<char[]> secrets = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (String user : List.of("bob@login.test", "mallory@login.test")) {
                char[] s = PASSWORD.toCharArray();
                secrets.add(s);
                Credentials c = Credentials.password(user, s);
                seen.add(c.toString());
                LoginReport r = m.checkLoginBlocking(new Endpoint(Protocol.IMAP, "imap.login.test",
                        imap.port(), Security.TLS), c, LoginOptions.DEFAULTS);
                seen.add(r.toString());
                seen.add(json.writeValueAsString(r));
            }
            for (ScriptedMailServer s : List.of(silent, hangUp)) {
                char[] p = PASSWORD.toCharArray();
                secrets.add(p);
                LoginReport r = m.checkLoginBlocking(new Endpoint(Protocol.IMAP, "imap.login.test", s.port(),
                        Security.TLS), Credentials.password("bob", p), LoginOptions.DEFAULTS.withTimeout(Duration.ofSeconds(1)));
                seen.add(r.toString());
            }
            char[] p = PASSWORD.toCharArray();
            secrets.add(p);
            seen.add(m.checkLoginBlocking(new Endpoint(Protocol.SMTP, "imap.login.test", malformed.port(), Security.TLS),
                    Credentials.password("bob", p), LoginOptions.DEFAULTS).toString());
            char[] q = PASSWORD.toCharArray();
            secrets.add(q);
            LoginCheck both = m.lookupAndCheckBlocking("mallory@login.test", Credentials.password(null, q));
            seen.add(both.toString());
            seen.add(json.writeValueAsString(both));
            try {
                m.checkLoginBlocking(new Endpoint(Protocol.IMAP, "imap.login.test", 993, Security.TLS),
                        Credentials.password(null, PASSWORD.toCharArray()), LoginOptions.DEFAULTS);
            } catch (RuntimeException e) {
                seen.add(e.toString());
            }
        } finally {
            System.setErr(original);
        }
        seen.add(captured.toString(StandardCharsets.UTF_8));

        // The echo came, and was cut.
        assertThat(seen).anyMatch(s -> s.contains("\"outcome\":\"bad-credentials\"") && s.contains("*** / ***"));
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("login check");  // the logging ran
        String base64 = b64(PASSWORD);
        for (String s : seen) {
            assertThat(s).doesNotContain(PASSWORD).doesNotContain(base64)
                    .doesNotContain(b64("\0bob@login.test\0" + PASSWORD))
                    .doesNotContain(b64("\0mallory@login.test\0" + PASSWORD));
        }
        for (char[] s : secrets) {
            assertThat(s).containsOnly('\0');
        }
    }
}
