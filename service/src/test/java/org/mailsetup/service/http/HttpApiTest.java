package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsetup.service.http.Fixture.q;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import okhttp3.tls.HeldCertificate;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailsetup.EmailAddress;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.format.Autodiscover;
import org.mailsetup.format.AutodiscoverTest;
import org.mailsetup.format.MobileconfigTest;
import org.mailsetup.format.ProfileSigner;
import org.mailsetup.format.ThunderbirdRules;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Every endpoint against real discovery over the in-process DNS (no rate limit here; see RateLimitTest). */
class HttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Fixture f;

    @BeforeAll
    static void start() throws Exception {
        f = Fixture.start(ServeSettings.defaults().withRateLimit(null, 0));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static JsonNode problem(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("code").asText()).isEqualTo(code);
        assertThat(p.path("type").asText()).isEqualTo("urn:mailsetup:problem:" + code);
        assertThat(p.path("title").asText()).isNotBlank();
        assertThat(p.path("detail").asText()).isNotBlank();
        return p;
    }

    // ------------------------------------------------------------------ /v1/lookup

    @Test
    void lookupAnswersTheDiscoveryResultAsJson() throws Exception {
        HttpResponse<String> r = f.get("/v1/lookup?email=" + q("alice@example.test"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/json");
        assertThat(r.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.fieldNames()).toIterable().containsExactly("email", "domain", "provider", "incoming", "outgoing",
                "contacts", "calendars", "jmap", "sources", "warnings", "elapsedMs", "error");
        // A mail-only lookup (no ?services=) looks for nothing else.
        assertThat(j.path("contacts")).isEmpty();
        assertThat(j.path("jmap")).isEmpty();
        assertThat(j.path("email").asText()).isEqualTo("alice@example.test");
        assertThat(j.path("domain").asText()).isEqualTo("example.test");
        assertThat(j.path("error").isNull()).isTrue();
        JsonNode imap = j.path("incoming").get(0);
        assertThat(imap.path("protocol").asText()).isEqualTo("imap");
        assertThat(imap.path("host").asText()).isEqualTo("imap.example.test");
        assertThat(imap.path("port").asInt()).isEqualTo(993);
        assertThat(imap.path("security").asText()).isEqualTo("tls");
        assertThat(imap.path("username").asText()).isEqualTo("alice@example.test");
        assertThat(imap.path("trusted").asBoolean()).isTrue();
        assertThat(imap.path("verified").asBoolean()).isFalse();
        assertThat(imap.path("foundBy").toString()).contains("\"srv\"");
        JsonNode smtp = j.path("outgoing").get(0);
        assertThat(smtp.path("host").asText()).isEqualTo("smtp.example.test");
        assertThat(smtp.path("port").asInt()).isEqualTo(465);
        assertThat(j.path("sources").findValuesAsText("name")).contains("srv");
    }

    @Test
    void lookupReportsAMissingDomainInTheResult() throws Exception {
        HttpResponse<String> r = f.get("/v1/lookup?email=" + q("bob@nowhere.test"));

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.path("error").path("code").asText()).isEqualTo("domain-not-found");
        assertThat(j.path("incoming").size()).isZero();
    }

    @Test
    void badInputIsAProblemDocument() throws Exception {
        JsonNode p = problem(f.get("/v1/lookup?email=" + q("not an address")), 400, "invalid-email");
        assertThat(p.path("detail").asText()).contains("'@'");
        problem(f.get("/v1/lookup?email=" + q("a@[127.0.0.1]")), 400, "invalid-email");
        problem(f.get("/v1/lookup"), 400, "missing-parameter");
        problem(f.get("/v1/lookup?email=a%40example.test&verify=maybe"), 400, "invalid-parameter");
        problem(f.get("/v1/lookup?email=a%40example.test&timeout=soon"), 400, "invalid-parameter");
        JsonNode services = problem(f.get("/v1/lookup?email=a%40example.test&services=mail,tasks"), 400,
                "invalid-parameter");
        assertThat(services.path("detail").asText()).contains("'tasks'").contains("mail, contacts, calendars, jmap");
        problem(f.get("/v1/lookup?email=a%40example.test&services="), 400, "invalid-parameter");
        problem(f.get("/v1/lookup?email=a%40example.test&services=contacts,,jmap"), 400, "invalid-parameter");
        problem(f.get("/v1/mobileconfig?email=a%40example.test&services=calendar"), 400, "invalid-parameter");
        problem(f.get("/v1/nothing"), 404, "no-such-route");
        HttpResponse<String> post = f.post("/v1/lookup?email=a%40example.test", "text/plain", new byte[0]);
        problem(post, 405, "method-not-allowed");
    }

    // ------------------------------------------------------------------ autoconfig

    @Test
    void autoconfigParsesWithCoreParserAndMatchesTheLookup() throws Exception {
        for (String path : List.of("/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml")) {
            HttpResponse<byte[]> r = f.getBytes(path + "?emailaddress=" + q("alice@example.test"));

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/xml; charset=utf-8");
            assertThat(ThunderbirdRules.problems(r.body())).isEmpty();
            ClientConfigParser.Result parsed = ClientConfigParser.parse(r.body());
            assertThat(parsed.warnings()).isEmpty();
            ClientConfig c = parsed.config();
            assertThat(c.domains()).containsExactly("example.test");
            assertThat(c.incoming().get(0)).isEqualTo(new ServerConfig(Protocol.IMAP, "imap.example.test", 993,
                    Security.TLS, "%EMAILADDRESS%", List.of("password-cleartext")));
            assertThat(c.incoming().get(0).usernameFor(EmailAddress.parse("alice@example.test")))
                    .isEqualTo("alice@example.test");
            assertThat(c.outgoing().get(0).hostname()).isEqualTo("smtp.example.test");
            assertThat(c.outgoing().get(0).port()).isEqualTo(465);
        }
    }

    @Test
    void autoconfigIsOneDocumentForEveryAddressEvenHostileOnes() throws Exception {
        byte[] first = null;
        for (String email : List.of("\"a<b&c\"@example.test", "\"it's \\\"quoted\\\"\"@example.test", "jürgen.ŝ@example.test")) {
            HttpResponse<byte[]> r = f.getBytes("/mail/config-v1.1.xml?emailaddress=" + q(email));

            assertThat(r.statusCode()).as(email).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("<b&", "jürgen");
            ClientConfig c = ClientConfigParser.parse(r.body()).config();
            // The client fills in its own user: the placeholder stands for the address it was asked about.
            assertThat(c.incoming()).allSatisfy(s -> assertThat(s.usernameFor(EmailAddress.parse(email))).isEqualTo(email));
            first = first == null ? r.body() : first;
            assertThat(r.body()).as(email).isEqualTo(first);
        }
    }

    @Test
    void autoconfigForAMissingDomainIsAProblem() throws Exception {
        problem(f.get("/mail/config-v1.1.xml?emailaddress=" + q("bob@nowhere.test")), 404, "domain-not-found");
        problem(f.get("/mail/config-v1.1.xml?emailaddress=" + q("<script>")), 400, "invalid-email");
    }

    @Test
    void autoconfigWhenTheResolverFailsIsABadGateway() throws Exception {
        problem(f.get("/mail/config-v1.1.xml?emailaddress=" + q("bob@broken.test")), 502, "dns-failure");
    }

    @Test
    void aDomainWithoutAnOutgoingServerGetsNoDocumentInAnyClientFormat() throws Exception {
        f.dns.zone("inbound.test").mx("inbound.test", 10, "mx.inbound.test")
                .srv("_imaps._tcp.inbound.test", 0, 1, 993, "imap.inbound.test")
                .srv("_submissions._tcp.inbound.test", 0, 1, 465, "smtp.inbound.test")
                .a("imap.inbound.test", "192.0.2.10").a("smtp.inbound.test", "10.9.9.9");
        String email = "ann@inbound.test";

        JsonNode config = problem(f.get("/mail/config-v1.1.xml?emailaddress=" + q(email)), 404, "no-usable-settings");
        JsonNode profile = problem(f.get("/v1/mobileconfig?email=" + q(email)), 404, "no-usable-settings");
        for (JsonNode p : List.of(config, profile)) {
            assertThat(p.path("detail").asText()).contains("no outgoing (SMTP) server a client may use")
                    .contains("smtp.inbound.test").contains("refused by the network policy")
                    .doesNotContain("no incoming");
        }
        HttpResponse<String> pox = f.post("/autodiscover/autodiscover.xml", "text/xml",
                AutodiscoverTest.request(email).getBytes(StandardCharsets.UTF_8));
        assertThat(pox.statusCode()).isEqualTo(404);
        assertThat(pox.body()).contains("<ErrorCode>501</ErrorCode>").contains("no outgoing (SMTP) server")
                .doesNotContain("<Protocol>");
    }

    // ------------------------------------------------------------------ Autodiscover

    @Test
    void autodiscoverAnswersInOutlookSchemaIgnoringCredentials() throws Exception {
        String email = "\"a<b&c\"@example.test";
        byte[] body = AutodiscoverTest.request("&quot;a&lt;b&amp;c&quot;@example.test").getBytes(StandardCharsets.UTF_8);
        for (String path : List.of("/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml",
                "/AutoDiscover/AUTODISCOVER.XML")) {
            HttpResponse<String> r = f.post(path, "text/xml", body, "Authorization", "Basic YWxpY2U6c2VjcmV0");

            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
            assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("text/xml");
            Document doc = AutodiscoverTest.dom(r.body().getBytes(StandardCharsets.UTF_8));
            Element root = doc.getDocumentElement();
            assertThat(root.getNamespaceURI()).isEqualTo(Autodiscover.RESPONSE_NS);
            Element response = AutodiscoverTest.children(root, "Response").get(0);
            assertThat(response.getNamespaceURI()).isEqualTo(Autodiscover.OUTLOOK_NS);
            Element account = AutodiscoverTest.children(response, "Account").get(0);
            List<Element> protocols = AutodiscoverTest.children(account, "Protocol");
            assertThat(protocols).extracting(p -> AutodiscoverTest.text(p, "Type")).containsExactly("IMAP", "POP3", "SMTP");
            for (Element p : protocols) {
                assertThat(AutodiscoverTest.text(p, "LoginName")).isEqualTo(email);
                assertThat(AutodiscoverTest.text(p, "SSL")).isEqualTo("on");
                assertThat(AutodiscoverTest.text(p, "SPA")).isEqualTo("off");
                assertThat(AutodiscoverTest.text(p, "Encryption")).isEqualTo("SSL");
                assertThat(AutodiscoverTest.text(p, "AuthRequired")).isEqualTo("on");
            }
            assertThat(AutodiscoverTest.text(protocols.get(0), "Server")).isEqualTo("imap.example.test");
            assertThat(AutodiscoverTest.text(protocols.get(0), "Port")).isEqualTo("993");
        }
    }

    @Test
    void autodiscoverRefusesBadRequestsSafely() throws Exception {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Autodiscover xmlns=\"" + Autodiscover.REQUEST_NS + "\"><Request><EMailAddress>&x;</EMailAddress>"
                + "</Request></Autodiscover>";
        HttpResponse<String> r = f.post("/autodiscover/autodiscover.xml", "text/xml", xxe.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<ErrorCode>600</ErrorCode>").doesNotContain("root:");

        r = f.post("/autodiscover/autodiscover.xml", "text/xml", "not xml".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);

        r = f.post("/autodiscover/autodiscover.xml", "text/xml",
                AutodiscoverTest.request("no-at-sign").getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("invalid address");

        byte[] big = new byte[Autodiscover.MAX_REQUEST_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        problem(f.post("/autodiscover/autodiscover.xml", "text/xml", big), 413, "body-too-large");

        String other = AutodiscoverTest.request("alice@example.test").replace("outlook/responseschema/2006a",
                "mobilesync/responseschema/2006");
        r = f.post("/autodiscover/autodiscover.xml", "text/xml", other.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<ErrorCode>601</ErrorCode>");
    }

    // ------------------------------------------------------------------ mobileconfig

    @Test
    @SuppressWarnings("unchecked")
    void mobileconfigIsAValidProfileAttachment() throws Exception {
        String email = "\"a<b&c\"@example.test";
        HttpResponse<byte[]> r = f.getBytes("/v1/mobileconfig?email=" + q(email));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/x-apple-aspen-config");
        assertThat(r.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"example.test.mobileconfig\"");
        Map<String, Object> profile = (Map<String, Object>) MobileconfigTest.parsePlist(r.body());
        assertThat(profile).containsEntry("PayloadType", "Configuration");
        Map<String, Object> mail = MobileconfigTest.mailPayload(profile);
        assertThat(mail).containsEntry("PayloadType", "com.apple.mail.managed")
                .containsEntry("EmailAccountType", "EmailTypeIMAP")
                .containsEntry("EmailAddress", email)
                .containsEntry("IncomingMailServerHostName", "imap.example.test")
                .containsEntry("IncomingMailServerPortNumber", 993)
                .containsEntry("IncomingMailServerUseSSL", true)
                .containsEntry("IncomingMailServerUsername", email)
                .containsEntry("OutgoingMailServerHostName", "smtp.example.test")
                .containsEntry("OutgoingMailServerPortNumber", 465);
    }

    @Test
    @SuppressWarnings("unchecked")
    void mobileconfigIsSignedWhenTheOperatorGaveACertificate() throws Exception {
        HeldCertificate cert = new HeldCertificate.Builder().commonName("profiles.example.test").ecdsa256().build();
        ProfileSigner signer = ProfileSigner.of(cert.keyPair().getPrivate(), List.of(cert.certificate()));
        try (Fixture signing = Fixture.start(ServeSettings.defaults().withRateLimit(null, 0).withProfileSigner(signer))) {
            HttpResponse<byte[]> r = signing.getBytes("/v1/mobileconfig?email=" + q("alice@example.test"));

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("application/x-apple-aspen-config");
            CMSSignedData cms = new CMSSignedData(r.body());
            SignerInformation info = cms.getSignerInfos().getSigners().iterator().next();
            assertThat(info.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert.certificate()))).isTrue();
            Map<String, Object> profile = (Map<String, Object>) MobileconfigTest.parsePlist(
                    (byte[]) cms.getSignedContent().getContent());
            assertThat(MobileconfigTest.mailPayload(profile)).containsEntry("EmailAddress", "alice@example.test");
        }
    }

    @Test
    void mobileconfigProblems() throws Exception {
        problem(f.get("/v1/mobileconfig"), 400, "missing-parameter");
        problem(f.get("/v1/mobileconfig?email=" + q("bob@nowhere.test")), 404, "domain-not-found");
    }

    // ------------------------------------------------------------------ operations and page

    @Test
    void healthReadinessAndOpenApi() throws Exception {
        HttpResponse<String> h = f.get("/healthz");
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(h.body()).path("status").asText()).isEqualTo("ok");
        HttpResponse<String> ready = f.get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).path("status").asText()).isEqualTo("ready");
        HttpResponse<String> api = f.get("/openapi.yaml");
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.headers().firstValue("Content-Type").orElse("")).contains("application/yaml");
        assertThat(api.body()).startsWith("openapi: 3.1");
    }

    @Test
    void pageIsServedWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = f.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).contains("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("default-src 'none'", "script-src 'self'");
        assertThat(page.body()).contains("<script src=\"app.js\"", "id=\"email\"");
        HttpResponse<String> js = f.get("/app.js");
        assertThat(js.statusCode()).isEqualTo(200);
        // Data is rendered with textContent; the script never assigns markup.
        assertThat(js.body()).contains("textContent").doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML");
        assertThat(f.get("/app.css").statusCode()).isEqualTo(200);
    }
}
