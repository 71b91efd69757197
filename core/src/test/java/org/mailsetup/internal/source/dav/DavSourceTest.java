package org.mailsetup.internal.source.dav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsetup.internal.source.WebFixture.redirect;
import static org.mailsetup.internal.source.WebFixture.status;

import java.io.IOException;
import java.time.Duration;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailsetup.Service;
import org.mailsetup.SourceName;
import org.mailsetup.internal.discovery.ServiceCandidate;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.source.WebFixture;

/** RFC 6764 against an in-process DNS server and https/http web servers on loopback. */
@Timeout(30)
class DavSourceTest {

    private static final String D = "example.org";
    private final WebFixture web = new WebFixture().hosts(D, "dav.example.org", "dav.example.net");

    DavSourceTest() throws IOException {
    }

    @AfterEach
    void close() {
        web.close();
    }

    private SourceOutcome caldav() throws Exception {
        return DavSource.caldav().discover(web.context("ann@example.org", Duration.ofSeconds(10)));
    }

    private SourceOutcome carddav() throws Exception {
        return DavSource.carddav().discover(web.context("ann@example.org", Duration.ofSeconds(10)));
    }

    @Test
    void theWellKnownRedirectTargetIsTheContextPathAndTrustedOnTheDomain() throws Exception {
        web.route("PROPFIND", "https", D, "/.well-known/caldav", redirect(web.httpsUrl(D, "/dav/cal/")))
                .route("PROPFIND", "https", D, "/dav/cal/", status(207));

        SourceOutcome o = caldav();

        assertThat(o).isInstanceOf(SourceOutcome.Found.class);
        ServiceCandidate c = o.services().getFirst();
        assertThat(c.service()).isEqualTo(Service.CALENDARS);
        assertThat(c.url()).isEqualTo(web.httpsUrl(D, "/dav/cal/"));
        assertThat(c.trusted()).isTrue();
        assertThat(c.source()).isEqualTo(SourceName.CALDAV);
        assertThat(c.username()).isEqualTo("ann@example.org");
        assertThat(o.detail()).contains("redirected from").contains("trusted");
        assertThat(o.candidates()).isEmpty();
    }

    @Test
    void aSecureSrvRecordWithATxtPathNamesTheContextUrl() throws Exception {
        web.dns.srv("_carddavs._tcp.example.org", 0, 1, web.https.getPort(), "dav.example.org")
                .txt("_carddavs._tcp.example.org", "path=/addressbooks/");

        SourceOutcome o = carddav();

        assertThat(o.services()).extracting(ServiceCandidate::url, ServiceCandidate::trusted)
                .containsExactly(org.assertj.core.api.Assertions.tuple(web.httpsUrl("dav.example.org", "/addressbooks/"), true));
        assertThat(o.detail()).contains("TXT path /addressbooks/");
    }

    @Test
    void withoutATxtPathTheSrvTargetsWellKnownUrlIsFollowed() throws Exception {
        web.dns.srv("_caldavs._tcp.example.org", 0, 1, web.https.getPort(), "dav.example.net");
        web.route("PROPFIND", "https", "dav.example.net", "/.well-known/caldav",
                        redirect(web.httpsUrl("dav.example.net", "/remote.php/dav/")))
                .route("PROPFIND", "https", "dav.example.net", "/remote.php/dav/", status(401, "WWW-Authenticate", "Basic"));

        SourceOutcome o = caldav();

        // Outside the email domain and without DNSSEC: a hint only.
        assertThat(o.services()).extracting(ServiceCandidate::url, ServiceCandidate::trusted)
                .containsExactly(org.assertj.core.api.Assertions.tuple(
                        web.httpsUrl("dav.example.net", "/remote.php/dav/"), false));
    }

    @Test
    void anInsecureSrvRecordIsOnlyAnUntrustedHintTriedWithHttps() throws Exception {
        web.dns.srv("_carddav._tcp.example.org", 0, 1, 80, "dav.example.org")
                .txt("_carddav._tcp.example.org", "path=/card/");

        SourceOutcome o = carddav();

        assertThat(o.services()).extracting(ServiceCandidate::url, ServiceCandidate::trusted)
                .containsExactly(org.assertj.core.api.Assertions.tuple(web.httpsUrl("dav.example.org", "/card/"), false));
        assertThat(o.detail()).contains("plain http; tried with https");
    }

    @Test
    void anSrvTargetDotSaysTheServiceIsNotOffered() throws Exception {
        web.dns.srv("_caldavs._tcp.example.org", 0, 0, 0, ".");

        SourceOutcome o = caldav();

        assertThat(o).isInstanceOf(SourceOutcome.Empty.class);
        assertThat(o.detail()).contains("_caldavs._tcp.example.org: not offered");
    }

    @Test
    void aRedirectLoopAtTheWellKnownUrlFindsNothing() throws Exception {
        web.route("PROPFIND", "https", D, "/.well-known/caldav", redirect(web.httpsUrl(D, "/a")))
                .route("PROPFIND", "https", D, "/a", redirect(web.httpsUrl(D, "/.well-known/caldav")));

        SourceOutcome o = caldav();

        assertThat(o).isInstanceOf(SourceOutcome.Empty.class);
        assertThat(o.detail()).contains("redirect loop");
    }

    @Test
    void moreThanFiveRedirectsFindNothing() throws Exception {
        for (int i = 0; i < 6; i++) {
            web.route("PROPFIND", "https", D, i == 0 ? "/.well-known/caldav" : "/r" + i, redirect(web.httpsUrl(D, "/r" + (i + 1))));
        }
        web.route("PROPFIND", "https", D, "/r6", status(207));

        SourceOutcome o = caldav();

        assertThat(o.services()).isEmpty();
        assertThat(o.detail()).contains("too many redirects");
    }

    @Test
    void aRedirectToABlockedAddressIsNeverFollowed() throws Exception {
        web.route("PROPFIND", "https", D, "/.well-known/carddav", redirect("https://10.1.2.3/dav/"));

        SourceOutcome o = carddav();

        assertThat(o.services()).isEmpty();
        assertThat(o.detail()).contains("10.1.2.3");
        assertThat(web.requested()).noneMatch(r -> r.contains("10.1.2.3"));
    }

    @Test
    void aRedirectToPlainHttpGivesAnUntrustedHttpsHint() throws Exception {
        web.route("PROPFIND", "https", D, "/.well-known/carddav", redirect(web.httpUrl(D, "/dav/")))
                .route("PROPFIND", "http", D, "/dav/", status(207));

        SourceOutcome o = carddav();

        ServiceCandidate c = o.services().getFirst();
        assertThat(c.url()).startsWith("https://").endsWith("/dav/");
        assertThat(c.trusted()).isFalse();
        assertThat(o.detail()).contains("untrusted: fetched over plain http");
    }

    @Test
    void anHtmlPageAtTheWellKnownPathIsNotAnEndpoint() throws Exception {
        web.route("https", D, "/.well-known/caldav", new MockResponse.Builder().code(200)
                .setHeader("Content-Type", "text/html").body("<html>welcome</html>").build());

        SourceOutcome o = caldav();

        assertThat(o).isInstanceOf(SourceOutcome.Empty.class);
        assertThat(o.detail()).contains("answered an HTML page, not a DAV collection");
    }

    @Test
    void aTxtPathThatIsNoUrlPathIsIgnoredWithAWarning() throws Exception {
        web.dns.srv("_caldavs._tcp.example.org", 0, 1, web.https.getPort(), "dav.example.org")
                .txt("_caldavs._tcp.example.org", "path=/cal|{x}");

        SourceOutcome o = caldav();

        assertThat(o.warnings()).anyMatch(w -> w.contains("TXT path '/cal|{x}' is not an absolute path"));
        // Without a usable path, the target's root is where to look.
        assertThat(o.services()).extracting(ServiceCandidate::url).containsExactly(web.httpsUrl("dav.example.org", "/"));
    }
}
