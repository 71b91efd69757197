package org.mailsetup.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Dovecot and Postfix that {@code scripts/e2e-servers.sh start} runs on 127.0.10.x (host map in
 * that script and in {@code core/src/test/resources/e2e-hosts.md}), for the end-to-end tests of every
 * module. Tests skip when they are not running, unless {@code -Dmailsetup.e2e.required=true} (the
 * {@code -Pe2e} profile) makes that a failure.
 */
public final class E2eServers {

    public static final String GOOD = "127.0.10.1";
    public static final String TLS_ONLY = "127.0.10.2";
    public static final String STARTTLS_ONLY = "127.0.10.3";
    public static final String PLAIN = "127.0.10.4";
    public static final String SELF_SIGNED = "127.0.10.5";
    public static final String WRONG_NAME = "127.0.10.6";
    /** Not served by the script: tests put their own silent or slow servers here. */
    public static final String IN_PROCESS = "127.0.10.7";
    public static final String POP3_ONLY = "127.0.10.8";

    private E2eServers() {
    }

    /** The work dir of the script: -Dmailsetup.e2e.dir, else build/e2e of the repository we run in. */
    public static Path workDir() {
        String configured = System.getProperty("mailsetup.e2e.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("scripts/e2e-servers.sh"))) {
                return p.resolve("build/e2e");
            }
        }
        return Path.of("build/e2e").toAbsolutePath();
    }

    private static volatile String problem;
    private static volatile boolean checked;

    /** Null when the servers answer, else why not. Checked once per JVM. */
    public static String problem() {
        if (!checked) {
            Path marker = workDir().resolve("servers.ready");
            if (!Files.exists(marker)) {
                problem = "no " + marker;
            } else if (!answers(GOOD, 993) || !answers(GOOD, 587)) {
                problem = marker + " exists but 127.0.10.1:993/587 do not answer";
            }
            checked = true;
        }
        return problem;
    }

    public static boolean running() {
        return problem() == null;
    }

    /**
     * Skips (or, when required, fails) the calling test unless the servers answer. Call it per test
     * ({@code @BeforeEach}): an abort in {@code @BeforeAll} shows up in Surefire as zero tests, without
     * the reason.
     */
    public static void assumeRunning() {
        if (running()) {
            return;
        }
        String message = "e2e mail servers are not running (" + problem() + "); start them with "
                + "'sudo scripts/e2e-servers.sh start'";
        if (Boolean.getBoolean("mailsetup.e2e.required")) {
            fail(message + " (required: -Pe2e / mailsetup.e2e.required=true)");
        }
        Assumptions.abort(message);
    }

    private static boolean answers(String address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The script's test account: a Dovecot passwd-file user that Postfix also authenticates through Dovecot. */
    public record Account(String username, String password) {
        @Override
        public String toString() {
            return "Account[" + username + "]";
        }
    }

    /**
     * The account in the script's {@code users} file ({@code name:{PLAIN}password::::::}, made once with a random
     * password). Skips (or, when required, fails) the calling test when the file cannot be read.
     */
    public static Account account() {
        Path users = workDir().resolve("users");
        try {
            PosixFileAttributes attrs = Files.readAttributes(users, PosixFileAttributes.class);
            if (!attrs.group().getName().equals("dovecot") || !attrs.permissions().contains(PosixFilePermission.GROUP_READ)) {
                // Servers started by an older script: its users file was for root only, so Dovecot could not read it.
                Assumptions.abort("the e2e account cannot sign in: " + users + " is not readable by Dovecot (servers "
                        + "started by an older scripts/e2e-servers.sh; run 'sudo scripts/e2e-servers.sh start' again, "
                        + "which reloads them)");
            }
            for (String line : Files.readAllLines(users)) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[1].startsWith("{PLAIN}")) {
                    return new Account(f[0], f[1].substring("{PLAIN}".length()));
                }
            }
        } catch (IOException e) {
            skipOrFail("cannot read the e2e account from " + users + ": " + e.getMessage());
        }
        skipOrFail("no {PLAIN} account in " + users);
        return null;
    }

    private static void skipOrFail(String message) {
        if (Boolean.getBoolean("mailsetup.e2e.required")) {
            fail(message);
        }
        Assumptions.abort(message);
    }

    /** Trusts the script's test CA only. */
    public static X509TrustManager trustManager() throws Exception {
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(workDir().resolve("pki/ca.pem"))) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("e2e-ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X509TrustManager");
    }

    /** The usual host names of every scenario domain (mail., imap., pop., smtp., bare) to its address. */
    public static FakeDnsServer namesFor(FakeDnsServer dns) {
        String[][] map = {
            {"good.test", GOOD}, {"tlsonly.test", TLS_ONLY}, {"stale.test", TLS_ONLY},
            {"starttls.test", STARTTLS_ONLY}, {"plain.test", PLAIN}, {"selfsigned.test", SELF_SIGNED},
            {"wrongname.test", WRONG_NAME}, {"pop3only.test", POP3_ONLY}, {"silent.test", IN_PROCESS},
        };
        for (String[] m : map) {
            dns.zone(m[0]);
            for (String prefix : new String[] {"", "mail.", "imap.", "pop.", "pop3.", "smtp."}) {
                dns.a(prefix + m[0], m[1]);
            }
        }
        return dns;
    }
}
