package org.mailsetup.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailsetup.testkit.FakeDnsServer;
import org.mailsetup.testkit.ScriptedMailServer;

/** {@code mailsetup check}: the secret only from the terminal or standard input, the report, the exit status. */
class CheckCommandTest {

    private static final String PASSWORD = "Tr0ub4dor&3";
    private static final HeldCertificate CA = new HeldCertificate.Builder().certificateAuthority(0)
            .commonName("check test CA").build();
    private static FakeDnsServer dns;
    private static ScriptedMailServer imap;
    private static ScriptedMailServer smtp;
    @TempDir
    static Path dir;
    private static Path caFile;

    @BeforeAll
    static void start() throws Exception {
        String plain = Base64.getEncoder().encodeToString(("\0bob@check.test\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        imap = ScriptedMailServer.builder().implicitTls(tls("imap.check.test"))
                .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready")
                .answer(line -> {
                    String tag = line.split(" ")[0];
                    return line.endsWith("LOGOUT") ? "* BYE\n" + tag + " OK bye"
                            : line.endsWith(" " + plain) ? tag + " OK Logged in"
                            : tag + " NO [AUTHENTICATIONFAILED] Authentication failed.";
                }).start();
        smtp = ScriptedMailServer.builder().implicitTls(tls("smtp.check.test")).send("220 smtp.check.test ESMTP")
                .answer(line -> line.startsWith("EHLO") ? "250-smtp.check.test\n250 AUTH PLAIN"
                        : line.equals("QUIT") ? "221 bye"
                        : line.equals("AUTH PLAIN " + plain) ? "235 2.7.0 ok" : "535 5.7.8 Authentication failed")
                .start();
        dns = new FakeDnsServer().start()
                .mx("check.test", 10, "mx.check.test")
                .srv("_imaps._tcp.check.test", 0, 1, imap.port(), "imap.check.test")
                .srv("_submissions._tcp.check.test", 0, 1, smtp.port(), "smtp.check.test")
                .a("imap.check.test", "127.0.0.1").a("smtp.check.test", "127.0.0.1");
        caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, CA.certificatePem());
    }

    @AfterAll
    static void stop() {
        imap.close();
        smtp.close();
        dns.close();
    }

    private static javax.net.ssl.SSLContext tls(String host) {
        HeldCertificate leaf = new HeldCertificate.Builder().signedBy(CA).commonName(host).addSubjectAlternativeName(host)
                .build();
        return new HandshakeCertificates.Builder().heldCertificate(leaf, CA.certificate()).build().sslContext();
    }

    private record Output(int exit, String out, String err) {
    }

    private static Output run(String stdin, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            List<String> all = new ArrayList<>(List.of("check", "--dns", "127.0.0.1:" + dns.port(), "--allow-network",
                    "127.0.0.0/8", "--ca-file", caFile.toString(), "--timeout=5s"));
            all.addAll(List.of(args));
            int exit = Main.run(all.toArray(String[]::new));
            return new Output(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }

    @Test
    void aLookupThenBothDirectionsSignInAsJson() throws Exception {
        Output o = run(PASSWORD + "\n", "--json", "--password-stdin", "bob@check.test");

        assertThat(o.exit()).as(o.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(o.out());
        assertThat(j.path("email").asText()).isEqualTo("bob@check.test");
        assertThat(j.path("incoming").get(0).path("verified").asBoolean()).isTrue();
        assertThat(j.path("login").path("incoming").path("outcome").asText()).isEqualTo("ok");
        assertThat(j.path("login").path("incoming").path("username").asText()).isEqualTo("bob@check.test");
        assertThat(j.path("login").path("outgoing").path("outcome").asText()).isEqualTo("ok");
        assertThat(o.out()).doesNotContain(PASSWORD);
    }

    @Test
    void aWrongPasswordExitsWithFourAndSaysWhy() {
        Output o = run("wrong-password\n", "--password-stdin", "bob@check.test");

        assertThat(o.exit()).isEqualTo(4);
        assertThat(o.out()).contains("Sign-in").contains("incoming  IMAP imap.check.test:" + imap.port() + " tls  bad-credentials")
                .contains("server: NO [AUTHENTICATIONFAILED] Authentication failed.").doesNotContain("wrong-password");
    }

    @Test
    void oneSavedEndpointWithAUsername() throws Exception {
        Output o = run(PASSWORD + "\r\n", "--json", "--password-stdin", "--username", "bob@check.test",
                "--endpoint", "smtp://smtp.check.test:" + smtp.port() + "/tls");

        assertThat(o.exit()).as(o.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(o.out());
        assertThat(j.path("login").path("outgoing").path("outcome").asText()).isEqualTo("ok");
        assertThat(j.path("login").has("incoming")).isFalse();
        assertThat(j.has("email")).isFalse();
    }

    @Test
    void plainTextIsRefusedUnlessAllowedAndThatIsAnotherFailure() {
        Output o = run(PASSWORD + "\n", "--password-stdin", "--endpoint", "imap://imap.check.test:" + imap.port()
                + "/plain", "bob@check.test");

        assertThat(o.exit()).isEqualTo(5);
        assertThat(o.out()).contains("tls-failure").contains("without TLS");
    }

    @Test
    void aPasswordOnTheCommandLineIsRefusedWithoutBeingEchoed() {
        Output o = run("", "--password", "hunter2-secret", "bob@check.test");

        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("on the command line is refused").doesNotContain("hunter2-secret");
        assertThat(o.out()).doesNotContain("hunter2-secret");
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of("", List.of("bob@check.test"), "--password-stdin"),
                Arguments.of("x", List.of("--password-stdin", "--oauth2-token-stdin", "bob@check.test"), "exclude each other"),
                Arguments.of("x", List.of("--password-stdin", "--endpoint", "ftp://x/tls", "bob@check.test"),
                        "unknown protocol"),
                Arguments.of("x", List.of("--password-stdin", "--allow-plaintext", "bob@check.test"), "needs --endpoint"),
                Arguments.of("x", List.of("--password-stdin", "--no-verify", "bob@check.test"), "only to a server verified"),
                Arguments.of("", List.of("--password-stdin", "bob@check.test"), "empty first line"),
                Arguments.of("x", List.of("--password-stdin"), "give the EMAIL address"));
    }

    /** Each a usage error (exit 2) that says what to do, without a stack trace. */
    @ParameterizedTest(name = "{1}")
    @MethodSource("usageErrors")
    void badCommandLines(String stdin, List<String> args, String says) {
        Output o = run(stdin.isEmpty() ? "" : stdin + "\n", args.toArray(String[]::new));

        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains(says).doesNotContain("Exception");
    }
}
