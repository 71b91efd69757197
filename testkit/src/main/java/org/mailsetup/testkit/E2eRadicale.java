package org.mailsetup.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * The Radicale (CalDAV and CardDAV) that {@code scripts/e2e-servers.sh start} runs on 127.0.10.10:443 with
 * its own TLS: a certificate from the script's test CA ({@link E2eServers#trustManager()}) for
 * {@code dav.test} and {@code *.dav.test}. {@code /.well-known/caldav} and {@code /.well-known/carddav}
 * answer {@code 301} to {@code /}; {@code OPTIONS} lists {@code calendar-access} and {@code addressbook};
 * everything else asks for Basic authentication. One user, {@link #USER}, with the collections
 * {@code /alice/calendar/} and {@code /alice/contacts/}. Like {@link E2eServers}, tests skip when it is
 * not running, unless {@code -Dmailsetup.e2e.required=true} ({@code -Pe2e}) makes that a failure.
 */
public final class E2eRadicale {

    public static final String ADDRESS = "127.0.10.10";
    public static final int PORT = 443;
    /** The scenario domain: its bare name and every name under it resolve to {@link #ADDRESS}. */
    public static final String DOMAIN = "dav.test";
    /** The one test user and its password (htpasswd in the script's work dir; loopback only). */
    public static final String USER = "alice";
    public static final String PASSWORD = "e2e-dav-secret";

    private E2eRadicale() {
    }

    /** {@code https://<host>/}, the context path of both services (where the well-known URLs lead). */
    public static String url(String host) {
        return "https://" + host + "/";
    }

    /** Skips (or, when required, fails) the calling test unless the script's Radicale answers. */
    public static void assumeRunning() {
        if (E2eRedis.answers(ADDRESS, PORT)) {
            return;
        }
        String message = "Radicale is not running on " + ADDRESS + ":" + PORT + "; start it with "
                + "'sudo scripts/e2e-servers.sh start' (or start-radicale)";
        if (Boolean.getBoolean("mailsetup.e2e.required")) {
            fail(message + " (required: -Pe2e / mailsetup.e2e.required=true)");
        }
        Assumptions.abort(message);
    }

    /** {@link #DOMAIN} and the usual DAV host names under it ({@code dav.}, {@code caldav.},
     *  {@code carddav.}, {@code www.}) to {@link #ADDRESS}. */
    public static FakeDnsServer namesFor(FakeDnsServer dns) {
        dns.zone(DOMAIN);
        for (String prefix : new String[] {"", "dav.", "caldav.", "carddav.", "www."}) {
            dns.a(prefix + DOMAIN, ADDRESS);
        }
        return dns;
    }
}
