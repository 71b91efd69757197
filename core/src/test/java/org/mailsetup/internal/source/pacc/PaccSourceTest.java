package org.mailsetup.internal.source.pacc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.Service;
import org.mailsetup.internal.discovery.Candidate;
import org.mailsetup.internal.discovery.ServiceCandidate;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.source.WebFixture;

@Timeout(30)
class PaccSourceTest {

    private static final String HOST = "ua-auto-config.example.org";
    private static final String TXT = "_ua-auto-config.example.org";
    private static final String PATH = "/.well-known/user-agent-configuration.json";

    static final String DOC = """
            {
              "protocols": {
                "imap": { "host": "imap.example.org" },
                "pop3": { "host": "pop.example.org" },
                "submit": { "host": "smtp.example.org" },
                "caldav": { "url": "https://dav.example.org/" },
                "future-thing": { "whatever": true }
              },
              "info": {
                "provider": { "name": "Example Mail", "shortName": "Example" },
                "help": { "documentation": "https://example.org/help" }
              }
            }
            """;

    private final WebFixture web = new WebFixture().hosts(HOST);
    private final PaccSource source = new PaccSource();

    PaccSourceTest() throws IOException {
    }

    @AfterEach
    void close() {
        web.close();
    }

    static String digest(String body) throws Exception {
        return Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    private void serve(String body) {
        web.route("https", HOST, PATH, new MockResponse.Builder().code(200)
                .setHeader("Content-Type", "application/json; charset=utf-8").body(body).build());
    }

    private SourceOutcome discover() throws Exception {
        return source.discover(web.context("jane@example.org", Duration.ofSeconds(5)));
    }

    @Test
    void matchingDigestGivesFixedTlsSettings() throws Exception {
        serve(DOC);
        web.dns.txt(TXT, "v=UAAC1; a=sha256; d=" + digest(DOC));

        SourceOutcome r = discover();

        assertThat(r.candidates()).extracting(Candidate::protocol, Candidate::host, Candidate::port, Candidate::security,
                        Candidate::username, Candidate::auth, Candidate::trusted)
                .containsExactly(
                        tuple(Protocol.IMAP, "imap.example.org", 993, Security.TLS, "jane@example.org",
                                List.of("password-cleartext"), true),
                        tuple(Protocol.POP3, "pop.example.org", 995, Security.TLS, "jane@example.org",
                                List.of("password-cleartext"), true),
                        tuple(Protocol.SMTP, "smtp.example.org", 465, Security.TLS, "jane@example.org",
                                List.of("password-cleartext"), true));
        assertThat(r.provider().id()).isEqualTo("example.org");
        assertThat(r.provider().name()).isEqualTo("Example Mail");
        assertThat(r.provider().documentation()).singleElement().extracting(d -> d.url()).isEqualTo("https://example.org/help");
        assertThat(r.detail()).contains("digest matches").contains(TXT).contains("TTL");
        assertThat(web.requested()).containsExactly("https://" + HOST + PATH);
    }

    @Test
    void digestMismatchIsEmpty() throws Exception {
        serve(DOC);
        web.dns.txt(TXT, "v=UAAC1; a=sha256; d=" + digest(DOC + " "));

        SourceOutcome r = discover();

        assertThat(r.candidates()).isEmpty();
        assertThat(r.provider()).isNull();
        assertThat(r.detail()).contains("digest mismatch").contains(digest(DOC)).contains(digest(DOC + " "));
    }

    @Test
    void noTxtRecordIsEmpty() throws Exception {
        serve(DOC);
        SourceOutcome r = discover();
        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("no TXT record at " + TXT);
    }

    @Test
    void multiStringTxtRecordIsJoined() throws Exception {
        serve(DOC);
        String record = "v=UAAC1; a=sha256; d=" + digest(DOC);
        web.dns.txt(TXT, record.substring(0, 30), record.substring(30));

        assertThat(discover().candidates()).hasSize(3);
    }

    @Test
    void oneOfSeveralRecordsMayMatchAndBrokenOnesAreSkipped() throws Exception {
        serve(DOC);
        web.dns.txt(TXT, "v=UAAC1; a=sha256; d=" + digest("old document"));
        web.dns.txt(TXT, "this is not a record");
        web.dns.txt(TXT, "  v = UAAC1 ;a=SHA256;  x-future=1; d= " + digest(DOC) + " ; ");
        web.dns.txt(TXT, "google-site-verification=abc");

        SourceOutcome r = discover();

        assertThat(r.candidates()).hasSize(3);
        assertThat(r.warnings()).anyMatch(w -> w.contains("this is not a record"));
    }

    @Test
    void onlyMalformedRecordsIsEmptyWithReasons() throws Exception {
        serve(DOC);
        web.dns.txt(TXT, "v=UAAC2; a=sha256; d=" + digest(DOC));
        web.dns.txt(TXT, "v=UAAC1; a=md5; d=" + digest(DOC));

        SourceOutcome r = discover();

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("no valid UAAC1 TXT record").contains("UAAC2").contains("md5");
    }

    @Test
    void smtpMemberOfDraft02IsAcceptedToo() throws Exception {
        String doc = """
                {"protocols": {"smtp": {"host": "out.example.org"}}, "info": {"provider": {"name": "X"}}}""";
        serve(doc);
        web.dns.txt(TXT, "v=UAAC1;a=sha256;d=" + digest(doc));

        assertThat(discover().candidates()).extracting(Candidate::protocol, Candidate::host, Candidate::port)
                .containsExactly(tuple(Protocol.SMTP, "out.example.org", 465));
    }

    @Test
    void smtpAndSubmitForTheSameHostAreOneCandidate() throws Exception {
        String doc = """
                {"protocols": {"smtp": {"host": "out.example.org"}, "submit": {"host": "out.example.org"}},
                 "info": {"provider": {"name": "X"}}}""";
        serve(doc);
        web.dns.txt(TXT, "v=UAAC1;a=sha256;d=" + digest(doc));

        assertThat(discover().candidates()).hasSize(1);
    }

    @Test
    void oauthOnlyProviderHasNoPasswordAuth() throws Exception {
        String doc = """
                {"protocols": {"imap": {"host": "imap.example.org"}},
                 "authentication": {"password": false, "oauth-public": {"issuer": "https://login.example.org"}},
                 "info": {"provider": {"name": "X"}}}""";
        serve(doc);
        web.dns.txt(TXT, "v=UAAC1;a=sha256;d=" + digest(doc));

        SourceOutcome r = discover();

        assertThat(r.candidates()).singleElement().extracting(Candidate::auth).isEqualTo(List.of("OAuth2"));
        assertThat(r.provider().oauth2().issuer()).isEqualTo("https://login.example.org");
    }

    @Test
    void wrongContentTypeIsNotUsed() throws Exception {
        web.route("https", HOST, PATH, new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                .body(DOC).build());
        web.dns.txt(TXT, "v=UAAC1; a=sha256; d=" + digest(DOC));

        SourceOutcome r = discover();

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("text/html").contains("not application/json");
    }

    @Test
    void invalidJsonWithMatchingDigestFails() throws Exception {
        String doc = "{\"protocols\": {\"imap\": ";
        serve(doc);
        web.dns.txt(TXT, "v=UAAC1; a=sha256; d=" + digest(doc));

        assertThatThrownBy(this::discover).isInstanceOf(IOException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void theJmapCalDavAndCardDavMembersAreTrustedServiceEndpoints() throws Exception {
        String doc = """
                {"protocols": {"imap": {"host": "imap.example.org"},
                               "jmap": {"url": "https://jmap.example.org/.well-known/jmap"},
                               "caldav": {"url": "HTTPS://dav.example.org/cal/"},
                               "carddav": {"url": "http://dav.example.org/card/"}},
                 "authentication": {"oauth-public": {"issuer": "https://login.example.org"}},
                 "info": {"provider": {"name": "X"}}}""";
        serve(doc);
        web.dns.txt(TXT, "v=UAAC1; a=sha256; d=" + digest(doc));

        SourceOutcome r = discover();

        assertThat(r.services()).extracting(ServiceCandidate::service, ServiceCandidate::url, ServiceCandidate::username,
                        ServiceCandidate::auth, ServiceCandidate::trusted)
                .containsExactly(
                        tuple(Service.JMAP, "https://jmap.example.org/.well-known/jmap", "jane@example.org",
                                List.of("OAuth2", "http-basic"), true),
                        tuple(Service.CALENDARS, "https://dav.example.org/cal/", "jane@example.org",
                                List.of("OAuth2", "http-basic"), true));
        assertThat(r.warnings()).anyMatch(w -> w.contains("protocols.carddav.url 'http://dav.example.org/card/'"));
        assertThat(r.provider().services()).hasSize(2);
    }

    @Test
    void badHostIsDroppedWithAWarning() throws Exception {
        String doc = """
                {"protocols": {"imap": {"host": "imap example"}, "pop3": {"host": "pop.example.org"}},
                 "info": {"provider": {"name": "X"}}}""";
        serve(doc);
        web.dns.txt(TXT, "v=UAAC1; a=sha256; d=" + digest(doc));

        SourceOutcome r = discover();

        assertThat(r.candidates()).extracting(Candidate::host).containsExactly("pop.example.org");
        assertThat(r.warnings()).anyMatch(w -> w.contains("imap example"));
    }

    @Test
    void redirectToPlainHttpIsNotUsed() throws Exception {
        web.route("https", HOST, PATH, WebFixture.redirect(web.httpUrl(HOST, PATH)));
        web.route("http", HOST, PATH, new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(DOC).build());
        web.dns.txt(TXT, "v=UAAC1; a=sha256; d=" + digest(DOC));

        SourceOutcome r = discover();

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("plain http");
    }

    @Test
    void noDocumentIsEmpty() throws Exception {
        SourceOutcome r = source.discover(web.context("jane@nowhere.example.net", Duration.ofSeconds(5)));
        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("no document").contains("NXDOMAIN");
    }

    @Test
    void failingTxtLookupIsAFailure() throws Exception {
        serve(DOC);
        web.dns.servfail(TXT);
        SourceOutcome r = discover();
        assertThat(r).isInstanceOf(SourceOutcome.Failed.class);
        assertThat(r.detail()).contains(TXT);
    }

    @Test
    void recordSyntax() throws Exception {
        String d = digest(DOC);
        assertThat(UaacRecord.parse("v=UAAC1;a=sha256;d=" + d).record()).isNotNull();
        assertThat(UaacRecord.parse("d=" + d + "; a=sha256; v=UAAC1;").record()).isNotNull();
        assertThat(UaacRecord.parse("v=UAAC1;a=sha256").problem()).contains("no d=");
        assertThat(UaacRecord.parse("a=sha256;d=" + d).problem()).contains("no v=");
        assertThat(UaacRecord.parse("v=UAAC1;d=" + d).problem()).contains("no a=");
        assertThat(UaacRecord.parse("v=UAAC1;a=sha256;d=!!!").problem()).contains("not base64");
        assertThat(UaacRecord.parse("v=UAAC1;a=sha256;d=AAAA").problem()).contains("not a SHA-256");
        assertThat(UaacRecord.parse("v=UAAC1;v=UAAC1;a=sha256;d=" + d).problem()).contains("twice");
        assertThat(UaacRecord.parse("").problem()).isNotNull();
        assertThat(PaccSource.isJson("Application/JSON ; charset=utf-8")).isTrue();
        assertThat(PaccSource.isJson("application/jsonp")).isFalse();
        assertThat(PaccSource.isJson(null)).isFalse();
    }
}
