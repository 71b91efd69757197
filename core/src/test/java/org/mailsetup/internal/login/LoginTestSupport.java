package org.mailsetup.internal.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.mailsetup.Cidr;
import org.mailsetup.Credentials;
import org.mailsetup.Endpoint;
import org.mailsetup.LoginOptions;
import org.mailsetup.LoginOutcome;
import org.mailsetup.LoginReport;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsJavaClient;
import org.mailsetup.internal.net.Dialer;
import org.mailsetup.internal.net.NetworkPolicy;
import org.mailsetup.internal.probe.SocketProber;
import org.mailsetup.internal.probe.TestPki;
import org.mailsetup.testkit.FakeDnsServer;
import org.mailsetup.testkit.ScriptedMailServer;

/** A fake DNS naming the loopback scripted servers, a test CA, and a login checker that trusts it. */
abstract class LoginTestSupport {

    static final String HOST = "mail.example.test";
    static final String USER = "alice@example.test";
    static final String PASSWORD = "s3cret-Pass";
    static final String TOKEN = "ya29.token-value";
    static final TestPki PKI = new TestPki();
    static final SSLContext tls = PKI.serverContext(PKI.server(HOST));
    static FakeDnsServer dns;
    static LoginChecker checker;

    private ScriptedMailServer server;

    @BeforeAll
    static void startDns() throws Exception {
        dns = new FakeDnsServer().start().a(HOST, "127.0.0.1").a("inside.example.test", "10.1.2.3");
        Dialer dialer = Dialer.create(NetworkPolicy.allowing(List.of(Cidr.parse("127.0.0.0/8"))),
                DnsJavaClient.using(dns.address()));
        checker = new LoginChecker(SocketProber.create(dialer, PKI.trustManager()), dialer);
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    ScriptedMailServer start(ScriptedMailServer.Builder b) throws Exception {
        stopServer();
        server = b.start();
        return server;
    }

    /** The server the test started last. */
    ScriptedMailServer server() {
        return server;
    }

    /** Starts a server with this script and checks the credential against it. */
    LoginReport checkAgainst(Protocol p, Security s, ScriptedMailServer.Builder script, Credentials c) throws Exception {
        return check(p, s, start(script), c);
    }

    /** A successful sign-in with this mechanism, the server's script played without a mismatch. */
    void assertSignedIn(LoginReport r, String mechanism) {
        assertThat(r.outcome()).isEqualTo(LoginOutcome.OK);
        assertThat(r.mechanism()).isEqualTo(mechanism);
        assertThat(server().errors()).isEmpty();
    }

    static Credentials password() {
        return Credentials.password(USER, PASSWORD.toCharArray());
    }

    static Credentials token() {
        return Credentials.oauth2(USER, TOKEN.toCharArray());
    }

    static LoginReport check(Protocol p, Security s, ScriptedMailServer server, Credentials c) {
        return check(p, s, server, c, LoginOptions.DEFAULTS.withTimeout(Duration.ofSeconds(5)));
    }

    static LoginReport check(Protocol p, Security s, ScriptedMailServer server, Credentials c, LoginOptions o) {
        try (c) {
            return checker.check(new Endpoint(p, HOST, server.port(), s), c.username(), c, o, null,
                    Deadline.after(o.timeout()));
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Base64 of the PLAIN message (RFC 4616) for the test user and password. */
    static String plainBlob() {
        return b64("\0" + USER + "\0" + PASSWORD);
    }

    /** Lines the server got, once the checker has hung up. */
    static List<String> linesReceived(ScriptedMailServer server) throws InterruptedException {
        server.awaitIdle(Duration.ofSeconds(5));
        return server.received();
    }

    /** An IMAP server on implicit TLS that greets with these capabilities. */
    static ScriptedMailServer.Builder imaps(String capabilities) {
        return ScriptedMailServer.builder().implicitTls(tls).send("* OK [CAPABILITY IMAP4rev1 " + capabilities + "] ready");
    }

    static ScriptedMailServer.Builder smtps(String... ehlo) {
        ScriptedMailServer.Builder b = ScriptedMailServer.builder().implicitTls(tls).send("220 " + HOST + " ESMTP")
                .expect("EHLO .*");
        b.send(ehlo.length == 0 ? "250 " + HOST : "250-" + HOST);
        for (int i = 0; i < ehlo.length; i++) {
            b.send((i == ehlo.length - 1 ? "250 " : "250-") + ehlo[i]);
        }
        return b;
    }

    static ScriptedMailServer.Builder pop3s(String... capa) {
        ScriptedMailServer.Builder b = ScriptedMailServer.builder().implicitTls(tls).send("+OK ready").expect("CAPA")
                .send("+OK");
        for (String c : capa) {
            b.send(c);
        }
        return b.send(".");
    }
}
