package org.mailsetup.internal.source.ispdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailsetup.internal.source.WebFixture.redirect;
import static org.mailsetup.internal.source.WebFixture.xml;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailsetup.internal.discovery.Candidate;
import org.mailsetup.internal.discovery.DiscoverySettings;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.source.ConfigDocuments;
import org.mailsetup.internal.source.ConfigFetch;
import org.mailsetup.internal.source.WebFixture;

@Timeout(30)
class IspdbSourceTest {

    private static final String ISPDB = "ispdb.example.net";

    private final WebFixture web = new WebFixture().hosts(ISPDB);
    private final IspdbSource source = new IspdbSource();

    IspdbSourceTest() throws IOException {
    }

    @AfterEach
    void close() {
        web.close();
    }

    private static String entry(String id, String imapHost) {
        return """
                <clientConfig version="1.1"><emailProvider id="%s"><domain>%s</domain>
                <displayName>Provider %s</displayName>
                <incomingServer type="imap"><hostname>%s</hostname><port>993</port><socketType>SSL</socketType>
                <username>%%EMAILADDRESS%%</username><authentication>password-cleartext</authentication></incomingServer>
                <outgoingServer type="smtp"><hostname>smtp.%s</hostname><port>465</port><socketType>SSL</socketType>
                <username>%%EMAILADDRESS%%</username><authentication>password-cleartext</authentication></outgoingServer>
                </emailProvider></clientConfig>""".formatted(id, id, id, imapHost, id);
    }

    @Test
    void entryOverHttpsIsTrusted() throws Exception {
        web.route("https", ISPDB, "/v1.1/example.org", xml(entry("example.org", "imap.example.org")));

        SourceOutcome r = source.discover(web.context("bob@example.org", Duration.ofSeconds(5)));

        assertThat(r.candidates()).hasSize(2).allMatch(Candidate::trusted)
                .allMatch(c -> c.username().equals("bob@example.org"));
        assertThat(r.provider().id()).isEqualTo("example.org");
        assertThat(r.detail()).contains(web.httpsUrl(ISPDB, "/v1.1/example.org") + " answered");
    }

    @Test
    void missingEntryIsEmpty() throws Exception {
        SourceOutcome r = source.discover(web.context("bob@example.org", Duration.ofSeconds(5)));
        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("no ISPDB entry for example.org").contains("404");
    }

    @Test
    void redirectToHttpIsUntrusted() throws Exception {
        web.route("https", ISPDB, "/v1.1/example.org", redirect(web.httpUrl(ISPDB, "/mirror/example.org")));
        web.route("http", ISPDB, "/mirror/example.org", xml(entry("example.org", "imap.example.org")));

        SourceOutcome r = source.discover(web.context("bob@example.org", Duration.ofSeconds(5)));

        assertThat(r.candidates()).isNotEmpty().noneMatch(Candidate::trusted);
        assertThat(r.provider()).isNull();
        assertThat(r.detail()).contains("untrusted");
    }

    @Test
    void httpBaseUrlIsUntrusted() throws Exception {
        web.route("http", ISPDB, "/v1.1/example.org", xml(entry("example.org", "imap.example.org")));
        DiscoverySettings plain = new DiscoverySettings(URI.create(web.httpUrl(ISPDB, "/v1.1/")),
                web.http.getPort(), web.https.getPort());

        SourceOutcome r = source.discover(web.context("bob@example.org", Duration.ofSeconds(5), plain));

        assertThat(r.candidates()).isNotEmpty().noneMatch(Candidate::trusted);
    }

    @Test
    void htmlIsNotAnEntry() throws Exception {
        web.route("https", ISPDB, "/v1.1/example.org", new MockResponse.Builder().code(200)
                .body("<html><body>Maintenance</body></html>").build());

        SourceOutcome r = source.discover(web.context("bob@example.org", Duration.ofSeconds(5)));

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("not a usable config").contains("<html>");
    }

    @Test
    void slowDatabaseEndsWithinTheDeadline() throws Exception {
        web.route("https", ISPDB, "/v1.1/example.org", new MockResponse.Builder().code(200)
                .body(entry("example.org", "imap.example.org")).headersDelay(10, TimeUnit.SECONDS).build());

        long start = System.nanoTime();
        SourceOutcome r = source.discover(web.context("bob@example.org", Duration.ofMillis(800)));
        assertThat(r).isInstanceOf(SourceOutcome.TimedOut.class);
        assertThat(r.detail()).contains("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void helperLooksUpAnotherDomain() throws Exception {
        web.route("https", ISPDB, "/v1.1/mailhost.example.net", xml(entry("mailhost.example.net", "imap.mailhost.example.net")));

        ConfigFetch f = ConfigDocuments.ispdb(web.context("bob@example.org", Duration.ofSeconds(5)), "mailhost.example.net");

        assertThat(f.found()).isTrue();
        assertThat(IspdbSource.isTrusted(f)).isTrue();
        assertThat(f.config().id()).isEqualTo("mailhost.example.net");
        assertThatThrownBy(() -> ConfigDocuments.ispdb(web.context("bob@example.org", Duration.ofSeconds(5)), "../etc"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void baseUrlWithoutTrailingSlashStillWorks() {
        assertThat(ConfigDocuments.ispdbUrl(URI.create("https://db.example/v1.1"), "x.org"))
                .isEqualTo(URI.create("https://db.example/v1.1/x.org"));
        assertThat(ConfigDocuments.ispdbUrl(URI.create("https://db.example/v1.1/"), "x.org"))
                .isEqualTo(URI.create("https://db.example/v1.1/x.org"));
    }
}
