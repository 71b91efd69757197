package org.mailsetup.internal.httpprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsetup.internal.source.WebFixture.redirect;
import static org.mailsetup.internal.source.WebFixture.status;

import java.io.IOException;
import java.time.Duration;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailsetup.ProbeReport.FailureKind;
import org.mailsetup.Service;
import org.mailsetup.ServiceProbeReport;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.source.WebFixture;

/** The unauthenticated DAV and JMAP checks, through the real fetcher against web servers on loopback. */
@Timeout(30)
class HttpServiceProberTest {

    private static final String H = "dav.example.org";
    private final WebFixture web = new WebFixture().hosts(H);
    private final HttpServiceProber prober = new HttpServiceProber(
            web.context("ann@example.org", Duration.ofSeconds(10)).http());

    HttpServiceProberTest() throws IOException {
    }

    @AfterEach
    void close() {
        web.close();
    }

    private ServiceProbeReport probe(Service service, String path) {
        return prober.probe(service, web.httpsUrl(H, path), Deadline.after(Duration.ofSeconds(10)));
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void aDavHeaderWithCalendarAccessVerifiesCalDavAndRecordsTheTls() {
        web.route("OPTIONS", "https", H, "/dav/", status(200, "DAV", "1, 2, access-control", "DAV", "calendar-access"));

        ServiceProbeReport r = probe(Service.CALENDARS, "/dav/");

        assertThat(r.ok()).isTrue();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.davClasses()).containsExactly("1", "2", "access-control", "calendar-access");
        assertThat(r.finalUrl()).isEqualTo(web.httpsUrl(H, "/dav/"));
        assertThat(r.address()).isEqualTo("127.0.0.1");
        assertThat(r.certificateValid()).isTrue();
        assertThat(r.tlsVersion()).startsWith("TLSv1.");
        assertThat(r.certificateIssuer()).contains("mailsetup test CA");
        assertThat(r.failure()).isNull();
    }

    @Test
    void aChallengeFromTheContextPathVerifiesAndNamesTheSchemes() {
        web.route("OPTIONS", "https", H, "/card/", status(401,
                "WWW-Authenticate", "Basic realm=\"contacts, and more\", charset=\"UTF-8\"",
                "WWW-Authenticate", "Bearer realm=\"x\", Digest realm=\"y\", nonce=\"z\""));

        ServiceProbeReport r = probe(Service.CONTACTS, "/card/");

        assertThat(r.ok()).isTrue();
        assertThat(r.authSchemes()).containsExactly("Basic", "Bearer", "Digest");
    }

    @Test
    void withoutADavHeaderAMultistatusAnswerToPropfindVerifies() {
        web.route("OPTIONS", "https", H, "/dav/", status(200))
                .route("PROPFIND", "https", H, "/dav/", status(207, "Content-Type", "application/xml"));

        ServiceProbeReport r = probe(Service.CONTACTS, "/dav/");

        assertThat(r.ok()).isTrue();
        assertThat(r.status()).isEqualTo(207);
        assertThat(web.requests).extracting(q -> q.getMethod()).containsExactly("OPTIONS", "PROPFIND");
        assertThat(web.requests.get(1).getHeaders().get("Depth")).isEqualTo("0");
        assertThat(web.requests).allSatisfy(q -> assertThat(q.getHeaders().get("Authorization")).isNull());
    }

    @Test
    void aWebServerThatIsNotDavFailsConclusively() {
        web.route("https", H, "/dav/", new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                .body("<html></html>").build());

        ServiceProbeReport r = probe(Service.CALENDARS, "/dav/");

        assertThat(r.ok()).isFalse();
        assertThat(r.failureKind()).isEqualTo(FailureKind.CONCLUSIVE);
        assertThat(r.failure()).isEqualTo("not CalDAV: OPTIONS answered HTTP 200 without a DAV header, PROPFIND answered HTTP 200");
    }

    @Test
    void aCardDavClassDoesNotVerifyCalDav() {
        web.route("OPTIONS", "https", H, "/dav/", status(200, "DAV", "1, addressbook"))
                .route("PROPFIND", "https", H, "/dav/", status(405));

        ServiceProbeReport r = probe(Service.CALENDARS, "/dav/");

        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).contains("with DAV: 1, addressbook");
    }

    @Test
    void aRedirectToPlainHttpIsNotEvidence() {
        web.route("OPTIONS", "https", H, "/dav/", redirect(web.httpUrl(H, "/dav/")))
                .route("OPTIONS", "http", H, "/dav/", status(200, "DAV", "1, calendar-access"));

        ServiceProbeReport r = probe(Service.CALENDARS, "/dav/");

        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).startsWith("redirected to plain http");
    }

    @Test
    void aJmapSessionObjectVerifiesAndReportsItsCapabilities() {
        web.route("https", H, "/.well-known/jmap", redirect(web.httpsUrl(H, "/session")))
                .route("https", H, "/session", json("""
                        {"capabilities": {"urn:ietf:params:jmap:core": {"maxSizeUpload": 50000000},
                                          "urn:ietf:params:jmap:mail": {}, "urn:ietf:params:jmap:contacts": {}},
                         "accounts": {}, "apiUrl": "https://dav.example.org/api/"}"""));

        ServiceProbeReport r = probe(Service.JMAP, "/.well-known/jmap");

        assertThat(r.ok()).isTrue();
        assertThat(r.capabilities()).containsExactly("urn:ietf:params:jmap:core", "urn:ietf:params:jmap:mail",
                "urn:ietf:params:jmap:contacts");
        assertThat(r.finalUrl()).isEqualTo(web.httpsUrl(H, "/session"));
    }

    @Test
    void aJmapChallengeVerifies() {
        web.route("https", H, "/session", status(401, "WWW-Authenticate", "Bearer realm=\"jmap\""));

        ServiceProbeReport r = probe(Service.JMAP, "/session");

        assertThat(r.ok()).isTrue();
        assertThat(r.authSchemes()).containsExactly("Bearer");
    }

    @Test
    void jsonWithoutTheCoreCapabilityIsNotASession() {
        web.route("https", H, "/session", json("{\"capabilities\": {\"urn:example:other\": {}}}"));

        ServiceProbeReport r = probe(Service.JMAP, "/session");

        assertThat(r.ok()).isFalse();
        assertThat(r.capabilities()).containsExactly("urn:example:other");
        assertThat(r.failure()).contains("do not include urn:ietf:params:jmap:core");
    }

    @Test
    void anOversizedSessionDocumentIsRefusedUnread() {
        String bomb = "{\"capabilities\": {\"urn:ietf:params:jmap:core\": {}}, \"pad\": \""
                + "x".repeat(2 * HttpServiceProber.MAX_SESSION_BYTES) + "\"}";
        web.route("https", H, "/session", json(bomb));

        ServiceProbeReport r = probe(Service.JMAP, "/session");

        assertThat(r.ok()).isFalse();
        assertThat(r.failureKind()).isEqualTo(FailureKind.CONCLUSIVE);
        assertThat(r.failure()).contains("larger than " + HttpServiceProber.MAX_SESSION_BYTES + " bytes");
    }

    @Test
    void aDeeplyNestedSessionDocumentIsRefused() {
        web.route("https", H, "/session", json("[".repeat(5000) + "]".repeat(5000)));

        ServiceProbeReport r = probe(Service.JMAP, "/session");

        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).startsWith("not a JMAP session: the answer is not JSON");
    }

    @Test
    void anUnreachableEndpointIsInconclusive() {
        ServiceProbeReport r = prober.probe(Service.JMAP, "https://" + H + ":1/session",
                Deadline.after(Duration.ofSeconds(5)));

        assertThat(r.ok()).isFalse();
        assertThat(r.failureKind()).isEqualTo(FailureKind.INCONCLUSIVE);
    }
}
