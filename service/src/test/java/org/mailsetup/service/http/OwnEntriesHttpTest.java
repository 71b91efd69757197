package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsetup.service.http.Fixture.q;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.format.ThunderbirdRules;
import org.mailsetup.service.Main;
import org.mailsetup.testkit.FakeDnsServer;

/** An operator's own domains: served from the entry, never discovered, with a stable PACC document. */
class OwnEntriesHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Fixture f;

    static final String ENTRY = """
            <?xml version="1.0" encoding="UTF-8"?>
            <clientConfig version="1.1" xmlns:ms="urn:mailsetup:provider:1">
              <emailProvider id="corp.test">
                <domain>corp.test</domain>
                <domain>corp-mail.test</domain>
                <displayName>Corp &amp; Co Mail</displayName>
                <displayShortName>Corp</displayShortName>
                <incomingServer type="imap">
                  <hostname>imap.%EMAILDOMAIN%</hostname>
                  <port>993</port>
                  <socketType>SSL</socketType>
                  <username>%EMAILADDRESS%</username>
                  <authentication>password-cleartext</authentication>
                </incomingServer>
                <outgoingServer type="smtp">
                  <hostname>smtp.corp.test</hostname>
                  <port>465</port>
                  <socketType>SSL</socketType>
                  <username>%EMAILADDRESS%</username>
                  <authentication>password-cleartext</authentication>
                </outgoingServer>
                <documentation url="https://help.corp.test/mail"><descr lang="en">Help</descr></documentation>
                <ms:note type="enable-imap" url="https://help.corp.test/imap">Switch IMAP on in the portal first.</ms:note>
              </emailProvider>
              <addressBook type="carddav">
                <username>%EMAILADDRESS%</username>
                <authentication>http-basic</authentication>
                <serverURL>https://dav.%EMAILDOMAIN%/</serverURL>
              </addressBook>
              <calendar type="caldav">
                <authentication>http-basic</authentication>
                <serverURL>https://dav.corp.test/calendars/%EMAILADDRESS%/</serverURL>
              </calendar>
              <ms:jmap>
                <authentication>OAuth2</authentication>
                <serverURL>https://jmap.corp.test/.well-known/jmap</serverURL>
              </ms:jmap>
            </clientConfig>
            """;

    /** An entry whose SMTP server is on the server's own loopback, which the operator did not allow. */
    static final String LAB = """
            <?xml version="1.0" encoding="UTF-8"?>
            <clientConfig version="1.1">
              <emailProvider id="lab.test">
                <domain>lab.test</domain>
                <displayName>Lab</displayName>
                <incomingServer type="imap">
                  <hostname>imap.lab.test</hostname>
                  <port>993</port>
                  <socketType>SSL</socketType>
                  <username>%EMAILADDRESS%</username>
                  <authentication>password-cleartext</authentication>
                </incomingServer>
                <outgoingServer type="smtp">
                  <hostname>loop.lab.test</hostname>
                  <port>465</port>
                  <socketType>SSL</socketType>
                  <username>%EMAILADDRESS%</username>
                  <authentication>password-cleartext</authentication>
                </outgoingServer>
              </emailProvider>
              <addressBook type="carddav">
                <serverURL>https://imap.lab.test/dav/</serverURL>
              </addressBook>
              <calendar type="caldav">
                <serverURL>https://loop.lab.test/dav/</serverURL>
              </calendar>
            </clientConfig>
            """;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("corp.test.xml"), ENTRY);
        Files.writeString(dir.resolve("lab.test.xml"), LAB);
        Files.writeString(dir.resolve("bridged.test.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <clientConfig version="1.1" xmlns:ms="urn:mailsetup:provider:1">
                  <emailProvider id="bridged.test">
                    <domain>bridged.test</domain>
                    <displayName>Bridged Mail</displayName>
                    <ms:noClientAccess url="https://help.bridged.test/bridge">Mail apps connect through the Bridge program only.</ms:noClientAccess>
                    <ms:bridge type="imap" host="127.0.0.1" port="1143" socketType="STARTTLS"/>
                  </emailProvider>
                </clientConfig>
                """);
        FakeDnsServer dns = Fixture.dns();
        // An address in a network the operator allowed (the fixture's), and one on loopback (not allowed).
        dns.a("imap.lab.test", "192.0.2.55").a("loop.lab.test", "127.0.0.1");
        f = Fixture.start(dns, ServeSettings.defaults().withRateLimit(null, 0), OwnEntries.load(dir),
                () -> MailSetupLookups.build(Fixture.discovery(dns, Duration.ofSeconds(3)), false));
        // The same domain in DNS points elsewhere: the own entry must win.
        Fixture.publish(f.dns, "corp.test");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void aProviderWithoutClientAccessIsAnErrorWithItsPageInJsonAndProblemDetails() throws Exception {
        HttpResponse<String> lookup = f.get("/v1/lookup?email=" + Fixture.q("dan@bridged.test"));
        JsonNode e = JSON.readTree(lookup.body()).get("error");
        assertThat(e.get("code").asText()).isEqualTo("no-client-access");
        assertThat(e.get("message").asText()).isEqualTo("Mail apps connect through the Bridge program only.");
        assertThat(e.get("url").asText()).isEqualTo("https://help.bridged.test/bridge");
        assertThat(e.at("/bridge/0/port").asInt()).isEqualTo(1143);

        HttpResponse<String> autoconfig = f.get("/mail/config-v1.1.xml?emailaddress=" + Fixture.q("dan@bridged.test"));
        assertThat(autoconfig.statusCode()).isEqualTo(404);
        JsonNode p = JSON.readTree(autoconfig.body());
        assertThat(p.get("code").asText()).isEqualTo("no-client-access");
        assertThat(p.get("title").asText()).isEqualTo("Provider offers no mail-client access");
        assertThat(p.get("url").asText()).isEqualTo("https://help.bridged.test/bridge");
    }

    /** A raw request: the JDK client does not let a caller choose the Host header. */
    record Raw(int status, String headers, byte[] body) {
    }

    private Raw pacc(String host) throws Exception {
        try (Socket s = new Socket("127.0.0.1", f.server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /.well-known/user-agent-configuration.json HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] all = s.getInputStream().readAllBytes();
            int split = new String(all, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
            String head = new String(all, 0, split, StandardCharsets.ISO_8859_1);
            return new Raw(Integer.parseInt(head.substring(9, 12)), head,
                    Arrays.copyOfRange(all, split + 4, all.length));
        }
    }

    @Test
    void ownDomainsAreAnsweredFromTheEntryWithoutDiscovery() throws Exception {
        JsonNode j = JSON.readTree(f.get("/v1/lookup?email=" + q("dana@corp-mail.test")).body());

        assertThat(j.path("provider").path("name").asText()).isEqualTo("Corp & Co Mail");
        assertThat(j.at("/provider/notes/0/type").asText()).isEqualTo("enable-imap");
        assertThat(j.at("/provider/notes/0/text").asText()).isEqualTo("Switch IMAP on in the portal first.");
        assertThat(j.at("/provider/notes/0/url").asText()).isEqualTo("https://help.corp.test/imap");
        assertThat(j.path("incoming").get(0).path("host").asText()).isEqualTo("imap.corp-mail.test");
        assertThat(j.path("incoming").get(0).path("username").asText()).isEqualTo("dana@corp-mail.test");
        assertThat(j.path("incoming").get(0).path("trusted").asBoolean()).isTrue();
        assertThat(j.path("sources").get(0).path("name").asText()).isEqualTo("providerdb");

        f.get("/v1/lookup?email=" + q("dana@corp.test"));
        assertThat(f.dns.queryCount("_imaps._tcp.corp.test", "SRV")).isZero();
        assertThat(f.dns.queryCount("corp.test", "MX")).isZero();
    }

    @Test
    void ownDomainsGetTheEntrysContactsCalendarsAndJmapWhenAsked() throws Exception {
        JsonNode mailOnly = JSON.readTree(f.get("/v1/lookup?email=" + q("dana@corp.test")).body());
        assertThat(mailOnly.path("contacts")).isEmpty();
        assertThat(mailOnly.path("calendars")).isEmpty();

        JsonNode j = JSON.readTree(f.get("/v1/lookup?email=" + q("dana@corp-mail.test")
                + "&services=contacts,CALENDARS&services=jmap").body());
        assertThat(j.at("/contacts/0/url").asText()).isEqualTo("https://dav.corp-mail.test/");
        assertThat(j.at("/contacts/0/username").asText()).isEqualTo("dana@corp-mail.test");
        assertThat(j.at("/contacts/0/trusted").asBoolean()).isTrue();
        assertThat(j.at("/contacts/0/verified").asBoolean()).isFalse();
        assertThat(j.at("/calendars/0/url").asText()).isEqualTo("https://dav.corp.test/calendars/dana@corp-mail.test/");
        assertThat(j.at("/jmap/0/url").asText()).isEqualTo("https://jmap.corp.test/.well-known/jmap");
        assertThat(j.at("/jmap/0/auth/0").asText()).isEqualTo("OAuth2");

        // The Apple profile for the same request sets up Contacts and Calendar too.
        HttpResponse<byte[]> profile = f.getBytes("/v1/mobileconfig?email=" + q("dana@corp.test")
                + "&services=mail,contacts,calendars");
        assertThat(profile.statusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> plist = (java.util.Map<String, Object>)
                org.mailsetup.format.MobileconfigTest.parsePlist(profile.body());
        assertThat(org.mailsetup.format.MobileconfigTest.payloads(plist, "com.apple.carddav.account"))
                .singleElement().satisfies(p -> assertThat(p).containsEntry("CardDAVHostName", "dav.corp.test"));
        assertThat(org.mailsetup.format.MobileconfigTest.payloads(plist, "com.apple.caldav.account"))
                .singleElement().satisfies(p -> assertThat(p)
                        .containsEntry("CalDAVPrincipalURL", "https://dav.corp.test/calendars/dana@corp.test/"));
    }

    @Test
    void anOwnEndpointOutsideTheAllowedNetworksIsLeftOut() throws Exception {
        JsonNode j = JSON.readTree(f.get("/v1/lookup?email=" + q("lee@lab.test") + "&services=contacts,calendars").body());

        assertThat(j.at("/contacts/0/url").asText()).isEqualTo("https://imap.lab.test/dav/");
        assertThat(j.path("calendars")).as("loop.lab.test is on loopback, which the operator did not allow").isEmpty();
    }

    @Test
    void autoconfigOfAnOwnDomainIsTheEntryAsWritten() throws Exception {
        HttpResponse<byte[]> r = f.getBytes("/mail/config-v1.1.xml?emailaddress=" + q("dana@corp.test"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ThunderbirdRules.problems(r.body())).isEmpty();
        ClientConfig served = ClientConfigParser.parse(r.body()).config();
        ClientConfig entry = ClientConfigParser.parse(ENTRY.getBytes()).config();
        assertThat(served).isEqualTo(entry);
        assertThat(served.incoming().get(0).hostname()).isEqualTo("imap.%EMAILDOMAIN%");
        assertThat(ThunderbirdRules.davUrls(r.body(), "addressBook")).containsExactly("https://dav.%EMAILDOMAIN%/");
        assertThat(ThunderbirdRules.davUrls(r.body(), "calendar"))
                .containsExactly("https://dav.corp.test/calendars/%EMAILADDRESS%/");
    }

    @Test
    void paccDocumentIsChosenByHostAndByteIdentical() throws Exception {
        Raw first = pacc("ua-auto-config.corp.test");
        Raw second = pacc("ua-auto-config.corp.test:8080");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers()).containsIgnoringCase("content-type: application/json\r\n");
        assertThat(second.body()).isEqualTo(first.body());
        JsonNode doc = JSON.readTree(first.body());
        assertThat(doc.path("protocols").path("imap").path("host").asText()).isEqualTo("imap.corp.test");
        assertThat(doc.path("info").path("provider").path("name").asText()).isEqualTo("Corp & Co Mail");

        // Contacts and JMAP are the same for every address of the domain; the calendar URL names the address.
        assertThat(doc.at("/protocols/carddav/url").asText()).isEqualTo("https://dav.corp.test/");
        assertThat(doc.at("/protocols/jmap/url").asText()).isEqualTo("https://jmap.corp.test/.well-known/jmap");
        assertThat(doc.path("protocols").has("caldav")).isFalse();

        JsonNode other = JSON.readTree(pacc("ua-auto-config.corp-mail.test").body());
        assertThat(other.path("protocols").path("imap").path("host").asText()).isEqualTo("imap.corp-mail.test");

        assertThat(pacc("ua-auto-config.example.test").status()).isEqualTo(404);
        assertThat(pacc("corp.test").status()).isEqualTo(404);
    }

    @Test
    void anOwnServerOutsideTheAllowedNetworksIsInNoDocument() throws Exception {
        JsonNode j = JSON.readTree(f.get("/v1/lookup?email=" + q("lee@lab.test")).body());
        assertThat(j.at("/incoming/0/host").asText()).isEqualTo("imap.lab.test");
        assertThat(j.at("/incoming/0/probe").isNull()).as("192.0.2.55 is in an allowed network").isTrue();
        assertThat(j.at("/outgoing/0/host").asText()).isEqualTo("loop.lab.test");
        assertThat(j.at("/outgoing/0/probe/failureKind").asText()).isEqualTo("refused");

        HttpResponse<String> config = f.get("/mail/config-v1.1.xml?emailaddress=" + q("lee@lab.test"));
        HttpResponse<String> profile = f.get("/v1/mobileconfig?email=" + q("lee@lab.test"));
        for (HttpResponse<String> r : List.of(config, profile)) {
            assertThat(r.statusCode()).isEqualTo(404);
            JsonNode p = JSON.readTree(r.body());
            assertThat(p.path("code").asText()).isEqualTo("no-usable-settings");
            assertThat(p.path("detail").asText()).contains("no outgoing (SMTP) server")
                    .contains("loop.lab.test resolves to [127.0.0.1]");
        }
        Raw pacc = pacc("ua-auto-config.lab.test");
        assertThat(pacc.status()).isEqualTo(404);
        assertThat(new String(pacc.body(), StandardCharsets.UTF_8)).contains("no-usable-settings");
    }

    @Test
    void paccRecordCommandPrintsTheDigestOfTheServedBytes() throws Exception {
        byte[] served = pacc("ua-auto-config.corp.test").body();
        String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(served));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int status = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("pacc-record", "CORP.test", "--own-entries", dir.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString().strip())
                .isEqualTo("_ua-auto-config.corp.test. IN TXT \"v=UAAC1; a=sha256; d=" + digest + "\"");

        StringWriter value = new StringWriter();
        new CommandLine(new Main()).setOut(new PrintWriter(value))
                .execute("pacc-record", "corp.test", "--own-entries", dir.toString(), "--value");
        assertThat(value.toString().strip()).isEqualTo("v=UAAC1; a=sha256; d=" + digest);

        StringWriter missing = new StringWriter();
        int notOwn = new CommandLine(new Main()).setErr(new PrintWriter(missing))
                .execute("pacc-record", "example.test", "--own-entries", dir.toString());
        assertThat(notOwn).isEqualTo(1);
        assertThat(missing.toString()).contains("not listed");
    }
}
