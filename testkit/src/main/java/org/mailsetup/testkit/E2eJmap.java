package org.mailsetup.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * The JMAP server that {@code scripts/e2e-servers.sh start} runs on 127.0.10.11:443: Cyrus IMAP's httpd with
 * only its JMAP module, TLS from the script's test CA ({@link E2eServers#trustManager()}) for {@code jmap.test}
 * and {@code *.jmap.test}. {@code /.well-known/jmap} answers {@code 301} to {@code https://jmap.test/jmap}, the
 * session resource, which asks for Basic authentication and gives {@link #USER} the session object. Like
 * {@link E2eServers}, tests skip when it is not running, unless {@code -Dmailsetup.e2e.required=true}
 * ({@code -Pe2e}) makes that a failure.
 */
public final class E2eJmap {

    public static final String ADDRESS = "127.0.10.11";
    public static final int PORT = 443;
    /** The scenario domain: its bare name and every name under it resolve to {@link #ADDRESS}. */
    public static final String DOMAIN = "jmap.test";
    /** Where {@code https://jmap.test/.well-known/jmap} leads. */
    public static final String SESSION_URL = "https://jmap.test/jmap";
    /** The one test user and its password (sasldb in the script's work dir; loopback only). */
    public static final String USER = "alice";
    public static final String PASSWORD = "e2e-jmap-secret";

    private E2eJmap() {
    }

    /** Skips (or, when required, fails) the calling test unless the script's Cyrus answers. */
    public static void assumeRunning() {
        if (E2eRedis.answers(ADDRESS, PORT)) {
            return;
        }
        String message = "the Cyrus JMAP server is not running on " + ADDRESS + ":" + PORT + "; start it with "
                + "'sudo scripts/e2e-servers.sh start' (or start-cyrus)";
        if (Boolean.getBoolean("mailsetup.e2e.required")) {
            fail(message + " (required: -Pe2e / mailsetup.e2e.required=true)");
        }
        Assumptions.abort(message);
    }

    /** {@link #DOMAIN} and the names {@code jmap.} and {@code www.} under it to {@link #ADDRESS}. */
    public static FakeDnsServer namesFor(FakeDnsServer dns) {
        dns.zone(DOMAIN);
        for (String prefix : new String[] {"", "jmap.", "www."}) {
            dns.a(prefix + DOMAIN, ADDRESS);
        }
        return dns;
    }
}
