package org.mailsetup.internal.source.autoconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mailsetup.internal.source.WebFixture.redirect;
import static org.mailsetup.internal.source.WebFixture.xml;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.internal.discovery.Candidate;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.source.ConfigDocuments;
import org.mailsetup.internal.source.ConfigFetch;
import org.mailsetup.internal.source.WebFixture;

@Timeout(30)
class AutoconfigSourceTest {

    private static final String AC = "autoconfig.example.org";
    private static final String D = "example.org";
    private static final String AC_PATH = "/mail/config-v1.1.xml";
    private static final String WK_PATH = "/.well-known/autoconfig/mail/config-v1.1.xml";

    private final WebFixture web = new WebFixture().hosts(AC, D);
    private final AutoconfigSource source = new AutoconfigSource();

    AutoconfigSourceTest() throws IOException {
    }

    @AfterEach
    void close() {
        web.close();
    }

    static String config(String imapHost, String extra) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <clientConfig version="1.1">
                  <emailProvider id="example.org">
                    <domain>example.org</domain>
                    <displayName>Example</displayName>
                    <incomingServer type="imap">
                      <hostname>%s</hostname>
                      <port>993</port>
                      <socketType>SSL</socketType>
                      <username>%%EMAILLOCALPART%%</username>
                      <authentication>password-cleartext</authentication>
                    </incomingServer>
                    <outgoingServer type="smtp">
                      <hostname>smtp.%%EMAILDOMAIN%%</hostname>
                      <port>587</port>
                      <socketType>STARTTLS</socketType>
                      <authentication>password-cleartext</authentication>
                    </outgoingServer>
                    %s
                  </emailProvider>
                </clientConfig>
                """.formatted(imapHost, extra);
    }

    static String config(String imapHost) {
        return config(imapHost, "");
    }

    private SourceOutcome discover() throws Exception {
        return source.discover(web.context("Jane.Doe@example.org", Duration.ofSeconds(10)));
    }

    @Test
    void httpsAutoconfigIsTrustedAndExpanded() throws Exception {
        web.route("https", AC, AC_PATH, xml(config("imap.example.org")));

        SourceOutcome r = discover();

        assertThat(r.candidates()).extracting(Candidate::protocol, Candidate::host, Candidate::port,
                        Candidate::security, Candidate::username, Candidate::trusted)
                .containsExactly(
                        tuple(Protocol.IMAP, "imap.example.org", 993, Security.TLS, "Jane.Doe", true),
                        tuple(Protocol.SMTP, "smtp.example.org", 587, Security.STARTTLS, "Jane.Doe@example.org", true));
        assertThat(r.provider()).isNotNull();
        assertThat(r.provider().name()).isEqualTo("Example");
        assertThat(r.detail()).contains(web.httpsUrl(AC, AC_PATH) + " answered").contains("trusted")
                .doesNotContain("Jane.Doe");
        assertThat(web.requested()).contains("https://" + AC + AC_PATH + "?emailaddress=Jane.Doe%40example.org");
    }

    @Test
    void htmlPageAtThePreferredUrlDoesNotHideAConfigElsewhere() throws Exception {
        web.route("https", AC, AC_PATH, new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                .body("<!DOCTYPE html><html><body>Parked domain</body></html>").build());
        web.route("https", D, WK_PATH, xml(config("imap.example.org")));

        SourceOutcome r = discover();

        assertThat(r.candidates()).isNotEmpty().allMatch(Candidate::trusted);
        assertThat(r.detail()).contains(web.httpsUrl(D, WK_PATH) + " answered")
                .contains(web.httpsUrl(AC, AC_PATH) + ": not a usable config");
    }

    @Test
    void plainHttpIsUntrusted() throws Exception {
        web.route("http", AC, AC_PATH, xml(config("imap.example.org")));

        SourceOutcome r = discover();

        assertThat(r.candidates()).hasSize(2).noneMatch(Candidate::trusted);
        assertThat(r.provider()).isNull();
        assertThat(r.detail()).contains("untrusted").contains("plain http");
    }

    @Test
    void httpsWinsOverHttpWhateverFinishesFirst() throws Exception {
        web.route("http", AC, AC_PATH, xml(config("plain.example.org")));
        web.route("https", D, WK_PATH, new MockResponse.Builder().code(200).body(config("secure.example.org"))
                .headersDelay(300, TimeUnit.MILLISECONDS).build());

        SourceOutcome r = discover();

        assertThat(r.candidates().getFirst().host()).isEqualTo("secure.example.org");
        assertThat(r.candidates()).allMatch(Candidate::trusted);
    }

    @Test
    void slowPreferredUrlDoesNotHoldBackAnAnswer() throws Exception {
        web.route("https", AC, AC_PATH, new MockResponse.Builder().code(200).body(config("slow.example.org"))
                .headersDelay(20, TimeUnit.SECONDS).build());
        web.route("https", D, WK_PATH, xml(config("fast.example.org")));

        long start = System.nanoTime();
        SourceOutcome r = discover();

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(ConfigDocuments.GRACE.plus(Duration.ofSeconds(2)));
        assertThat(r.candidates().getFirst().host()).isEqualTo("fast.example.org");
        assertThat(r.detail()).contains("no answer in time");
    }

    @Test
    void redirectWithinTheDomainStaysTrusted() throws Exception {
        web.route("https", AC, AC_PATH, redirect(web.httpsUrl("config.example.org", "/ac.xml")));
        web.hosts("config.example.org");
        web.route("https", "config.example.org", "/ac.xml", xml(config("imap.example.org")));

        SourceOutcome r = discover();

        assertThat(r.candidates()).allMatch(Candidate::trusted);
        assertThat(r.detail()).contains("redirected from");
    }

    @Test
    void redirectOffTheDomainIsUntrusted() throws Exception {
        web.hosts("hoster.example.net");
        web.route("https", AC, AC_PATH, redirect(web.httpsUrl("hoster.example.net", "/ac.xml")));
        web.route("https", "hoster.example.net", "/ac.xml", xml(config("imap.example.org")));

        SourceOutcome r = discover();

        assertThat(r.candidates()).isNotEmpty().noneMatch(Candidate::trusted);
        assertThat(r.provider()).isNull();
        assertThat(r.detail()).contains("outside example.org");
    }

    @Test
    void redirectDownToHttpIsUntrusted() throws Exception {
        web.route("https", AC, AC_PATH, redirect(web.httpUrl(AC, "/plain.xml")));
        web.route("http", AC, "/plain.xml", xml(config("imap.example.org")));

        SourceOutcome r = discover();

        assertThat(r.candidates()).isNotEmpty().noneMatch(Candidate::trusted);
        assertThat(r.detail()).contains("plain http");
    }

    @Test
    void parserWarningsArePassedThrough() throws Exception {
        web.route("https", AC, AC_PATH, xml(config("imap.example.org",
                "<incomingServer type=\"pop3\"><hostname>pop.example.org</hostname><port>99999</port></incomingServer>")));

        SourceOutcome r = discover();

        assertThat(r.candidates()).hasSize(2);
        assertThat(r.warnings()).anyMatch(w -> w.contains("port 99999 is out of range"));
    }

    @Test
    void nothingAnywhereIsEmptyWithEveryReason() throws Exception {
        web.route("https", AC, AC_PATH, new MockResponse.Builder().code(500).build());

        SourceOutcome r = discover();

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains(web.httpsUrl(AC, AC_PATH) + ": HTTP 500")
                .contains(web.httpsUrl(D, WK_PATH) + ": HTTP 404")
                .contains(web.httpUrl(AC, AC_PATH) + ": HTTP 404")
                .contains(web.httpUrl(D, WK_PATH) + ": HTTP 404");
    }

    @Test
    void unknownHostsAreReported() throws Exception {
        SourceOutcome r = source.discover(web.context("someone@nowhere.example.org", Duration.ofSeconds(5)));
        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("NXDOMAIN");
    }

    @Test
    void externalEntityIsRefused() throws Exception {
        web.route("https", AC, AC_PATH, xml("<?xml version=\"1.0\"?><!DOCTYPE clientConfig "
                + "[<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" + config("&xxe;")));

        SourceOutcome r = discover();

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("DTD");
    }

    @Test
    void entityBombIsRefused() throws Exception {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        String prev = "lol";
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&" + prev + ";").repeat(10)).append("\">");
            prev = "lol" + i;
        }
        dtd.append("]>");
        web.route("https", AC, AC_PATH, xml("<?xml version=\"1.0\"?>" + dtd + config("a.example.org",
                "<displayName>&" + prev + ";</displayName>")));

        SourceOutcome r = discover();

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("DTD");
    }

    @Test
    void hugeBodyIsRefusedWithoutReadingIt() throws Exception {
        web.route("https", AC, AC_PATH, new MockResponse.Builder().code(200)
                .chunkedBody("<clientConfig>" + "x".repeat(10 * 1024 * 1024), 64 * 1024).build());

        SourceOutcome r = discover();

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("larger than");
    }

    @Test
    void slowServerEndsWithinTheDeadline() throws Exception {
        web.route("https", AC, AC_PATH, new MockResponse.Builder().code(200).body(config("imap.example.org"))
                .throttleBody(10, 1, TimeUnit.SECONDS).build());

        long start = System.nanoTime();
        SourceOutcome r = source.discover(web.context("jane@example.org", Duration.ofMillis(1500)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
        assertThat(r).isInstanceOf(SourceOutcome.TimedOut.class);
        assertThat(r.detail()).contains("timed out");
    }

    @Test
    void helperFetchesAnotherDomainOverHttpsWithoutTheAddress() throws Exception {
        web.hosts("autoconfig.mailhost.example.net", "mailhost.example.net");
        web.route("http", "autoconfig.mailhost.example.net", AC_PATH, xml(config("never.example.net")));
        web.route("https", "mailhost.example.net", WK_PATH, xml(config("imap.mailhost.example.net")));

        ConfigFetch f = ConfigDocuments.autoconfigOverHttps(web.context("jane@example.org", Duration.ofSeconds(5)),
                "mailhost.example.net");

        assertThat(f.found()).isTrue();
        assertThat(f.config().incoming().getFirst().hostname()).isEqualTo("imap.mailhost.example.net");
        assertThat(f.secureWithin("mailhost.example.net")).isTrue();
        assertThat(f.secureWithin("example.org")).isFalse();
        assertThat(web.requested()).noneMatch(u -> u.contains("emailaddress") || u.startsWith("http:"));
    }

    @Test
    void helperReportsWhyNothingWasFound() throws Exception {
        ConfigFetch f = ConfigDocuments.autoconfigOverHttps(web.context("jane@example.org", Duration.ofSeconds(5)),
                "unknown.example.net");
        assertThat(f.found()).isFalse();
        assertThat(f.problem()).contains("NXDOMAIN");
        assertThat(f.summary()).startsWith("https://autoconfig.unknown.example.net:").contains("; also https://unknown.example.net:");
    }

    @Test
    void percentEncodesLikeEncodeUriComponent() {
        assertThat(AutoconfigSource.percentEncode("a.b+c d@x.org")).isEqualTo("a.b%2Bc%20d%40x.org");
        assertThat(AutoconfigSource.percentEncode("jörg@x.org")).isEqualTo("j%C3%B6rg%40x.org");
    }

    @Test
    void theDocumentsAddressBookAndCalendarComeWithItsServers() throws Exception {
        String doc = config("imap.example.org").replace("</clientConfig>", """
                  <addressBook type="carddav"><serverURL>https://dav.example.org/%EMAILLOCALPART%/</serverURL></addressBook>
                  <calendar type="caldav"><serverURL>https://dav.example.org/cal/</serverURL></calendar>
                </clientConfig>""");
        web.route("https", AC, AC_PATH, xml(doc));

        SourceOutcome o = discover();

        assertThat(o.services()).extracting(s -> s.service(), s -> s.url(), s -> s.trusted(), s -> s.source())
                .containsExactly(
                        tuple(org.mailsetup.Service.CONTACTS, "https://dav.example.org/Jane.Doe/", true,
                                org.mailsetup.SourceName.AUTOCONFIG),
                        tuple(org.mailsetup.Service.CALENDARS, "https://dav.example.org/cal/", true,
                                org.mailsetup.SourceName.AUTOCONFIG));
    }
}
