package org.mailsetup.internal.source.autodiscover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailsetup.EmailAddress;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.config.SafeXml;
import org.mailsetup.internal.discovery.Candidate;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.source.WebFixture;

@Timeout(30)
class AutodiscoverSourceTest {

    private static final String PATH = "/autodiscover/autodiscover.xml";
    private static final String AD = "autodiscover.example.org";
    private static final String D = "example.org";

    private final WebFixture web = new WebFixture().hosts(AD, D);
    private final AutodiscoverSource source = new AutodiscoverSource();

    AutodiscoverSourceTest() throws IOException {
    }

    @AfterEach
    void close() {
        web.close();
    }

    static MockResponse pox(String account) {
        return WebFixture.xml("""
                <?xml version="1.0" encoding="utf-8"?>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
                  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
                    <Account>%s</Account>
                  </Response>
                </Autodiscover>""".formatted(account));
    }

    static String protocol(String type, String server, String port, String extra) {
        return "<Protocol><Type>" + type + "</Type><Server>" + server + "</Server>"
                + (port == null ? "" : "<Port>" + port + "</Port>") + extra + "</Protocol>";
    }

    static final String SETTINGS = "<AccountType>email</AccountType><Action>settings</Action>"
            + protocol("EXCH", "ex.example.org", null, "")
            + protocol("IMAP", "imap.example.org", "993", "<SSL>on</SSL><LoginName>jdoe</LoginName><SPA>off</SPA>")
            + protocol("SMTP", "smtp.example.org", "587", "<Encryption>TLS</Encryption><SPA>on</SPA>")
            + protocol("POP3", "pop.example.org", "110", "<SSL>on</SSL>");

    static MockResponse redirectAddr(String address) {
        return pox("<AccountType>email</AccountType><Action>redirectAddr</Action><RedirectAddr>" + address
                + "</RedirectAddr>");
    }

    static MockResponse redirectUrl(String url) {
        return pox("<AccountType>email</AccountType><Action>redirectUrl</Action><RedirectUrl>" + url + "</RedirectUrl>");
    }

    private SourceOutcome discover(String email) throws Exception {
        return source.discover(web.context(email, Duration.ofSeconds(10)));
    }

    private List<RecordedRequest> posts() {
        return web.requests.stream().filter(r -> r.getMethod().equals("POST")).toList();
    }

    @Test
    void settingsBecomeTrustedCandidates() throws Exception {
        web.route("https", AD, PATH, pox(SETTINGS));

        SourceOutcome r = discover("jane@example.org");

        assertThat(r.candidates()).extracting(Candidate::protocol, Candidate::host, Candidate::port, Candidate::security,
                        Candidate::username, Candidate::auth, Candidate::trusted)
                .containsExactly(
                        tuple(Protocol.IMAP, "imap.example.org", 993, Security.TLS, "jdoe", List.of("password-cleartext"), true),
                        tuple(Protocol.SMTP, "smtp.example.org", 587, Security.STARTTLS, "jane@example.org",
                                List.of("password-encrypted"), true),
                        // SSL=on on a STARTTLS port means STARTTLS.
                        tuple(Protocol.POP3, "pop.example.org", 110, Security.STARTTLS, "jane@example.org",
                                List.of("password-cleartext"), true));
        assertThat(r.detail()).contains(web.httpsUrl(AD, PATH) + " answered").contains("trusted");
    }

    @Test
    void requestIsTheOutlook2006PoxRequestWithoutCredentials() throws Exception {
        web.route("https", AD, PATH, pox(SETTINGS));
        discover("o'brien+x@example.org");

        RecordedRequest req = posts().stream().filter(p -> p.getUrl().host().equals(AD)).findFirst().orElseThrow();
        assertThat(req.getHeaders().get("Content-Type")).startsWith("text/xml");
        assertThat(req.getHeaders().get("Authorization")).isNull();
        String body = req.getBody().utf8();
        assertThat(body).contains("xmlns=\"" + PoxXml.REQUEST_NS + "\"");
        // Read it back as XML: the address is data, escaped by the serialiser.
        var tree = SafeXml.mapper().readTree(body);
        assertThat(tree.path("Request").path("EMailAddress").asText()).isEqualTo("o'brien+x@example.org");
        assertThat(tree.path("Request").path("AcceptableResponseSchema").asText()).isEqualTo(PoxXml.RESPONSE_SCHEMA);
    }

    @Test
    void addressWithMarkupIsEscaped() {
        String xml = new String(PoxXml.request("\"<b>&x\"@example.org"), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(xml).doesNotContain("<b>").contains("&lt;b>");
    }

    @Test
    void bareDomainAnswersWhenTheAutodiscoverHostDoesNot() throws Exception {
        web.route("https", D, PATH, pox(SETTINGS));
        SourceOutcome r = discover("jane@example.org");
        assertThat(r.candidates()).hasSize(3).allMatch(Candidate::trusted);
        assertThat(r.detail()).contains(web.httpsUrl(D, PATH) + " answered");
    }

    @Test
    void unauthorizedIsEmptyAndNoCredentialsAreSent() throws Exception {
        MockResponse unauthorized = new MockResponse.Builder().code(401)
                .setHeader("WWW-Authenticate", "Basic realm=\"autodiscover\"").build();
        web.route("https", AD, PATH, unauthorized);
        web.route("https", D, PATH, unauthorized);

        SourceOutcome r = discover("jane@example.org");

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("HTTP 401").contains("never sends");
        assertThat(posts()).hasSize(2).allMatch(p -> p.getHeaders().get("Authorization") == null);
    }

    @Test
    void neverAsksAParentDomain() throws Exception {
        web.hosts("autodiscover.mail.example.org", "mail.example.org");
        SourceOutcome r = discover("jane@mail.example.org");
        assertThat(r.candidates()).isEmpty();
        assertThat(web.requests).extracting(q -> q.getUrl().host())
                .containsExactlyInAnyOrder("autodiscover.mail.example.org", "mail.example.org");
    }

    @Test
    void redirectAddrToAnotherDomainIsFollowedButUntrusted() throws Exception {
        web.hosts("autodiscover.example.net");
        web.route("https", AD, PATH, redirectAddr("jane.doe@example.net"));
        web.route("https", "autodiscover.example.net", PATH, pox(SETTINGS));

        SourceOutcome r = discover("jane@example.org");

        assertThat(r.candidates()).hasSize(3).noneMatch(Candidate::trusted);
        assertThat(r.candidates().get(1).username()).isEqualTo("jane.doe@example.net");
        assertThat(r.detail()).contains("redirectAddr example.net").contains("untrusted").contains("outside example.org");
        RecordedRequest second = posts().stream().filter(p -> p.getUrl().host().equals("autodiscover.example.net"))
                .findFirst().orElseThrow();
        assertThat(second.getBody().utf8()).contains("jane.doe@example.net");
    }

    @Test
    void redirectUrlOnTheDomainStaysTrusted() throws Exception {
        web.hosts("mail.example.org");
        web.route("https", AD, PATH, redirectUrl(web.httpsUrl("mail.example.org", "/ad/autodiscover.xml")));
        web.route("https", "mail.example.org", "/ad/autodiscover.xml", pox(SETTINGS));

        SourceOutcome r = discover("jane@example.org");

        assertThat(r.candidates()).hasSize(3).allMatch(Candidate::trusted);
        assertThat(r.detail()).contains("redirectUrl").contains("mail.example.org");
    }

    @Test
    void redirectUrlToHttpIsRefused() throws Exception {
        web.route("https", AD, PATH, redirectUrl(web.httpUrl(AD, PATH)));
        web.route("http", AD, PATH, pox(SETTINGS));

        SourceOutcome r = discover("jane@example.org");

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("only https");
        assertThat(web.requests).noneMatch(q -> q.getUrl().scheme().equals("http"));
    }

    @Test
    void redirectChainIsCappedAtTwo() throws Exception {
        web.hosts("mail.example.org");
        web.route("https", AD, PATH, redirectUrl(web.httpsUrl("mail.example.org", "/r1")));
        web.route("https", "mail.example.org", "/r1", redirectUrl(web.httpsUrl("mail.example.org", "/r2")));
        web.route("https", "mail.example.org", "/r2", redirectUrl(web.httpsUrl("mail.example.org", "/r3")));
        web.route("https", "mail.example.org", "/r3", pox(SETTINGS));

        SourceOutcome r = discover("jane@example.org");

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("more than 2");
        assertThat(web.requested()).noneMatch(u -> u.endsWith("/r3"));
    }

    @Test
    void redirectAddrLoopStops() throws Exception {
        web.route("https", AD, PATH, redirectAddr("jane@example.org"));

        SourceOutcome r = discover("jane@example.org");

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("redirect loop");
        assertThat(posts().stream().filter(p -> p.getUrl().host().equals(AD))).hasSize(1);
    }

    @Test
    void httpRedirectTurnsThePostIntoAGetAndIsNotUsed() throws Exception {
        web.route("https", AD, PATH, new MockResponse.Builder().code(302).setHeader("Location", "/elsewhere").build());
        web.route("https", AD, "/elsewhere", pox(SETTINGS));

        SourceOutcome r = discover("jane@example.org");

        // The GET still gets the document here; what matters is that the body was not re-sent.
        RecordedRequest get = web.requests.stream().filter(q -> q.getTarget().equals("/elsewhere")).findFirst().orElseThrow();
        assertThat(get.getMethod()).isEqualTo("GET");
        assertThat(get.getBodySize()).isZero();
        assertThat(r.candidates()).allMatch(Candidate::trusted);
    }

    @Test
    void errorResponseIsEmptyWithTheCode() throws Exception {
        web.route("https", AD, PATH, WebFixture.xml("""
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
                <Response><Error Time="12:00:00" Id="1"><ErrorCode>600</ErrorCode><Message>Invalid Request</Message>
                </Error></Response></Autodiscover>"""));

        SourceOutcome r = discover("jane@example.org");

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("autodiscover error 600: Invalid Request");
    }

    @Test
    void exchangeOnlyIsEmpty() throws Exception {
        web.route("https", AD, PATH, pox("<Action>settings</Action>" + protocol("EXCH", "ex.example.org", null, "")
                + protocol("WEB", "owa.example.org", null, "")));
        SourceOutcome r = discover("jane@example.org");
        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("only EXCH, WEB");
    }

    @Test
    void hostileXmlIsRefused() throws Exception {
        web.route("https", AD, PATH, WebFixture.xml("<?xml version=\"1.0\"?><!DOCTYPE Autodiscover [<!ENTITY x SYSTEM "
                + "\"file:///etc/passwd\">]><Autodiscover><Response><Account><Protocol><Type>IMAP</Type><Server>&x;"
                + "</Server></Protocol></Account></Response></Autodiscover>"));
        web.route("https", D, PATH, new MockResponse.Builder().code(200).body("<html><body>Hi</body></html>").build());

        SourceOutcome r = discover("jane@example.org");

        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("DTD").contains("not <Autodiscover>");
    }

    @Test
    void slowServerEndsWithinTheDeadline() throws Exception {
        web.route("https", AD, PATH, new MockResponse.Builder().code(200).body("<Autodiscover/>")
                .headersDelay(20, TimeUnit.SECONDS).build());
        web.route("https", D, PATH, new MockResponse.Builder().code(200).body("<Autodiscover/>")
                .headersDelay(20, TimeUnit.SECONDS).build());
        long start = System.nanoTime();
        SourceOutcome r = source.discover(web.context("jane@example.org", Duration.ofMillis(1000)));
        assertThat(r).isInstanceOf(SourceOutcome.TimedOut.class);
        assertThat(r.detail()).contains("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void mapsEncryptionAndSslAsDocumented() {
        EmailAddress jane = EmailAddress.parse("jane@example.org");
        List<String> warnings = new ArrayList<>();
        List<Candidate> c = AutodiscoverSource.candidates(List.of(
                p("IMAP", "a.example.org", "993", "SSL", null),
                p("IMAP", "b.example.org", "143", "TLS", null),
                p("IMAP", "c.example.org", "143", "None", null),
                p("IMAP", "d.example.org", "993", "Auto", null),
                p("IMAP", "e.example.org", "143", "Auto", null),
                p("SMTP", "f.example.org", "465", null, "on"),
                p("SMTP", "g.example.org", "587", null, "on"),
                p("SMTP", "h.example.org", "25", null, "off"),
                p("POP3", "i.example.org", null, null, null),
                p("POP3", "j.example.org", null, "TLS", null),
                p("POP3", "k.example.org", "995", "Quantum", null),
                p("POP3", "l.example.org", "995", null, "maybe"),
                p("IMAP", "m.example.org", "99999", null, null),
                p("IMAP", "not a host", "993", null, null),
                p("SMTP", "n.example.org", "465", "SSL", "off")), jane, warnings);

        assertThat(c).extracting(Candidate::host, Candidate::port, Candidate::security).containsExactly(
                tuple("a.example.org", 993, Security.TLS),
                tuple("b.example.org", 143, Security.STARTTLS),
                tuple("c.example.org", 143, Security.PLAIN),
                tuple("d.example.org", 993, Security.TLS),
                tuple("e.example.org", 143, Security.STARTTLS),
                tuple("f.example.org", 465, Security.TLS),
                tuple("g.example.org", 587, Security.STARTTLS),
                tuple("h.example.org", 25, Security.PLAIN),
                tuple("i.example.org", 995, Security.TLS),
                tuple("j.example.org", 110, Security.STARTTLS),
                // Encryption wins over SSL.
                tuple("n.example.org", 465, Security.TLS));
        assertThat(warnings).hasSize(4).anyMatch(w -> w.contains("Quantum")).anyMatch(w -> w.contains("maybe"))
                .anyMatch(w -> w.contains("99999")).anyMatch(w -> w.contains("not a host"));
    }

    private static PoxXml.ProtocolXml p(String type, String server, String port, String encryption, String ssl) {
        PoxXml.ProtocolXml p = new PoxXml.ProtocolXml();
        p.type = type;
        p.server = server;
        p.port = port;
        p.encryption = encryption;
        p.ssl = ssl;
        return p;
    }

    @Test
    void invalidRedirectAddrIsReported() throws Exception {
        web.route("https", AD, PATH, redirectAddr("not an address"));
        SourceOutcome r = discover("jane@example.org");
        assertThat(r.candidates()).isEmpty();
        assertThat(r.detail()).contains("invalid address");
    }

    @Test
    void rejectsNonAutodiscoverRoot() {
        assertThatThrownBy(() -> PoxXml.read("<clientConfig/>".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("not <Autodiscover>");
    }
}
