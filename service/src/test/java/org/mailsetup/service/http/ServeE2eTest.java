package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsetup.service.http.Fixture.q;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mailsetup.MailSetup;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.SourceName;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.format.AutodiscoverTest;
import org.mailsetup.format.MobileconfigTest;
import org.mailsetup.format.ThunderbirdRules;
import org.mailsetup.testkit.E2eRadicale;
import org.mailsetup.testkit.E2eServers;
import org.mailsetup.testkit.FakeDnsServer;
import org.w3c.dom.Element;

/**
 * The service end to end: HTTP requests, discovery through DNS to the real Dovecot and Postfix that
 * {@code scripts/e2e-servers.sh} runs, probes that verify them, and the answers in every client format.
 * Every config-v1.1 document served here is checked against what Thunderbird accepts.
 */
@Tag("e2e")
class ServeE2eTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Hosts a domain's own autoconfig names that a client must never be sent to. */
    private static final List<String> FORBIDDEN = List.of("127.0.0.1", "localhost", "loop.leaky.test",
            "intranet.leaky.test");
    private static Fixture f;
    private static HttpsServer autoconfig;

    @BeforeAll
    static void start() throws Exception {
        if (!E2eServers.running()) {
            return;
        }
        FakeDnsServer dns = E2eServers.namesFor(new FakeDnsServer().start());
        dns.mx("good.test", 10, "mail.good.test").mx("selfsigned.test", 10, "mail.selfsigned.test")
                .srv("_imaps._tcp.good.test", 0, 1, 993, "mail.good.test")
                .srv("_submissions._tcp.good.test", 0, 1, 465, "mail.good.test")
                .srv("_imaps._tcp.selfsigned.test", 0, 1, 993, "mail.selfsigned.test")
                .srv("_submissions._tcp.selfsigned.test", 0, 1, 465, "mail.selfsigned.test");
        // davmail.test: mail at good.test, contacts and calendars on the lab's Radicale, announced by SRV with a
        // TXT path (the https port of this fixture is the leaky autoconfig server's, so no well-known URL).
        E2eRadicale.namesFor(dns);
        dns.zone("davmail.test").srv("_imaps._tcp.davmail.test", 0, 1, 993, "mail.good.test")
                .srv("_submissions._tcp.davmail.test", 0, 1, 465, "mail.good.test")
                .srv("_carddavs._tcp.davmail.test", 0, 1, 443, "dav.dav.test")
                .txt("_carddavs._tcp.davmail.test", "path=/alice/contacts/")
                .srv("_caldavs._tcp.davmail.test", 0, 1, 443, "dav.dav.test")
                .txt("_caldavs._tcp.davmail.test", "path=/alice/calendar/");
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).build();
        autoconfig = leakyAutoconfig(ca, dns);
        MailSetup.Builder discovery = MailSetup.builder()
                .dnsServer(dns.address())
                .allowNetwork("127.0.10.0/24")
                .caFile(E2eServers.workDir().resolve("pki/ca.pem"))
                .trustCertificates(List.of(ca.certificate()))
                .webPorts(closedPort(), autoconfig.getAddress().getPort())
                // The online ISPDB would only get NXDOMAIN from the fake DNS.
                .disable(SourceName.ISPDB)
                .timeout(Duration.ofSeconds(10));
        f = Fixture.start(dns, ServeSettings.defaults().withRateLimit(null, 0).withTimeouts(
                Duration.ofSeconds(12), Duration.ofSeconds(15)), OwnEntries.none(),
                () -> MailSetupLookups.build(discovery, true));
    }

    /**
     * {@code leaky.test} publishes its own config over https, so it is trusted, and names the server's
     * loopback (as an address, as {@code localhost}, which the resolver answers as many do, and as a name of
     * its own) and a private address beside one real server per direction: the verified IMAP of good.test and an SMTP
     * host whose port is closed (an inconclusive failure).
     */
    private static HttpsServer leakyAutoconfig(HeldCertificate ca, FakeDnsServer dns) throws Exception {
        HeldCertificate cert = new HeldCertificate.Builder().signedBy(ca)
                .addSubjectAlternativeName("autoconfig.leaky.test").addSubjectAlternativeName("leaky.test").build();
        HandshakeCertificates tls = new HandshakeCertificates.Builder().heldCertificate(cert).build();
        HttpsServer server = HttpsServer.create(new InetSocketAddress(E2eServers.IN_PROCESS, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
        StringBuilder in = new StringBuilder();
        StringBuilder out = new StringBuilder();
        for (String host : List.of("127.0.0.1", "localhost", "loop.leaky.test", "intranet.leaky.test", "mail.good.test")) {
            in.append(server("incomingServer", "imap", host, 993));
        }
        for (String host : List.of("127.0.0.1", "localhost", "loop.leaky.test", "intranet.leaky.test",
                "closed.leaky.test")) {
            out.append(server("outgoingServer", "smtp", host, 465));
        }
        byte[] body = ("""
                <?xml version="1.0" encoding="UTF-8"?>
                <clientConfig version="1.1"><emailProvider id="leaky.test"><domain>leaky.test</domain>
                """ + in + out + "</emailProvider></clientConfig>\n").getBytes(StandardCharsets.UTF_8);
        server.createContext("/mail/config-v1.1.xml", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        dns.zone("leaky.test").mx("leaky.test", 10, "mx.leaky.test")
                .a("autoconfig.leaky.test", E2eServers.IN_PROCESS)
                .a("localhost", "127.0.0.1")
                .a("loop.leaky.test", "127.0.0.1")
                .a("intranet.leaky.test", "10.20.30.40")
                .a("closed.leaky.test", E2eServers.IN_PROCESS);
        return server;
    }

    private static String server(String element, String type, String host, int port) {
        return "<" + element + " type=\"" + type + "\"><hostname>" + host + "</hostname><port>" + port
                + "</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username>"
                + "<authentication>password-cleartext</authentication></" + element + ">\n";
    }

    /** A port nothing listens on (a connection to it is refused at once). */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(E2eServers.IN_PROCESS))) {
            return s.getLocalPort();
        }
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
        if (autoconfig != null) {
            autoconfig.stop(0);
        }
    }

    /** A config-v1.1 document the service serves, after checking that Thunderbird would take it whole. */
    private static ClientConfig thunderbirdConfig(String email) throws Exception {
        HttpResponse<byte[]> r = f.getBytes("/mail/config-v1.1.xml?emailaddress=" + q(email));
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(ThunderbirdRules.problems(r.body())).as("what Thunderbird would reject").isEmpty();
        return ClientConfigParser.parse(r.body()).config();
    }

    @BeforeEach
    void serversRunning() {
        E2eServers.assumeRunning();
    }

    @Test
    void theJsonAnswerCarriesWhatTheRealServersSaid() throws Exception {
        HttpResponse<String> r = f.get("/v1/lookup?email=" + q("alice@good.test") + "&verify=true");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = JSON.readTree(r.body());
        JsonNode in = j.path("incoming").get(0);
        assertThat(in.path("host").asText()).isEqualTo("mail.good.test");
        assertThat(in.path("port").asInt()).isEqualTo(993);
        assertThat(in.path("verified").asBoolean()).isTrue();
        assertThat(in.path("probe").path("greeting").asText()).contains("Dovecot");
        JsonNode out = j.path("outgoing").get(0);
        assertThat(out.path("port").asInt()).isEqualTo(465);
        assertThat(out.path("verified").asBoolean()).isTrue();
        assertThat(out.path("probe").path("authMechanisms")).extracting(JsonNode::asText).contains("PLAIN");
    }

    @Test
    void thunderbirdGetsTheVerifiedServers() throws Exception {
        ClientConfig config = thunderbirdConfig("alice@good.test");
        ServerConfig in = config.incoming().get(0);
        assertThat(in.protocol()).isEqualTo(Protocol.IMAP);
        assertThat(in.hostname()).isEqualTo("mail.good.test");
        assertThat(in.port()).isEqualTo(993);
        assertThat(in.security()).isEqualTo(Security.TLS);
        ServerConfig out = config.outgoing().get(0);
        assertThat(out.hostname()).isEqualTo("mail.good.test");
        assertThat(out.port()).isEqualTo(465);
    }

    @Test
    @SuppressWarnings("unchecked")
    void contactsAndCalendarsVerifiedOnRadicaleReachTheAppleProfileAndTheAutoconfig() throws Exception {
        E2eRadicale.assumeRunning();
        String services = "&services=mail,contacts,calendars";

        JsonNode j = JSON.readTree(f.get("/v1/lookup?email=" + q("alice@davmail.test") + services).body());
        assertThat(j.at("/contacts/0/url").asText()).isEqualTo("https://dav.dav.test/alice/contacts/");
        assertThat(j.at("/contacts/0/verified").asBoolean()).as(j.at("/contacts/0").toString()).isTrue();
        assertThat(j.at("/calendars/0/probe/davClasses").toString()).contains("calendar-access");

        HttpResponse<byte[]> profile = f.getBytes("/v1/mobileconfig?email=" + q("alice@davmail.test") + services);
        assertThat(profile.statusCode()).isEqualTo(200);
        Map<String, Object> plist = (Map<String, Object>) MobileconfigTest.parsePlist(profile.body());
        assertThat(MobileconfigTest.payloads(plist, "com.apple.carddav.account")).singleElement().satisfies(p ->
                assertThat(p).containsEntry("CardDAVHostName", "dav.dav.test").containsEntry("CardDAVPort", 443)
                        .containsEntry("CardDAVPrincipalURL", "https://dav.dav.test/alice/contacts/")
                        .containsEntry("CardDAVUsername", "alice@davmail.test"));
        assertThat(MobileconfigTest.payloads(plist, "com.apple.caldav.account")).singleElement().satisfies(p ->
                assertThat(p).containsEntry("CalDAVPrincipalURL", "https://dav.dav.test/alice/calendar/"));

        HttpResponse<byte[]> config = f.getBytes("/mail/config-v1.1.xml?emailaddress=" + q("alice@davmail.test") + services);
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(ThunderbirdRules.problems(config.body())).isEmpty();
        assertThat(ThunderbirdRules.davUrls(config.body(), "addressBook")).containsExactly("https://dav.dav.test/alice/contacts/");
        assertThat(ThunderbirdRules.davUrls(config.body(), "calendar")).containsExactly("https://dav.dav.test/alice/calendar/");

        // Without ?services= the same address is a mail-only profile.
        Map<String, Object> mailOnly = (Map<String, Object>) MobileconfigTest.parsePlist(
                f.getBytes("/v1/mobileconfig?email=" + q("alice@davmail.test")).body());
        assertThat(MobileconfigTest.payloads(mailOnly, "com.apple.carddav.account")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void appleAndOutlookGetTheSameServers() throws Exception {
        HttpResponse<byte[]> profile = f.getBytes("/v1/mobileconfig?email=" + q("alice@good.test"));
        assertThat(profile.statusCode()).isEqualTo(200);
        Map<String, Object> mail = MobileconfigTest.mailPayload(
                (Map<String, Object>) MobileconfigTest.parsePlist(profile.body()));
        assertThat(mail).containsEntry("IncomingMailServerHostName", "mail.good.test")
                .containsEntry("IncomingMailServerPortNumber", 993)
                .containsEntry("OutgoingMailServerPortNumber", 465);

        HttpResponse<String> pox = f.post("/autodiscover/autodiscover.xml", "text/xml",
                AutodiscoverTest.request("alice@good.test").getBytes(StandardCharsets.UTF_8));
        assertThat(pox.statusCode()).isEqualTo(200);
        Element account = AutodiscoverTest.children(AutodiscoverTest.children(
                AutodiscoverTest.dom(pox.body().getBytes(StandardCharsets.UTF_8)).getDocumentElement(), "Response")
                .get(0), "Account").get(0);
        Element imap = AutodiscoverTest.children(account, "Protocol").get(0);
        assertThat(AutodiscoverTest.text(imap, "Type")).isEqualTo("IMAP");
        assertThat(AutodiscoverTest.text(imap, "Server")).isEqualTo("mail.good.test");
        assertThat(AutodiscoverTest.text(imap, "Port")).isEqualTo("993");
    }

    @Test
    void aServerWhoseCertificateFailsIsNotVerified() throws Exception {
        HttpResponse<String> r = f.get("/v1/lookup?email=" + q("dave@selfsigned.test") + "&verify=true");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode in = JSON.readTree(r.body()).path("incoming").get(0);
        assertThat(in.path("host").asText()).isEqualTo("mail.selfsigned.test");
        assertThat(in.path("verified").asBoolean()).isFalse();
        assertThat(in.path("probe").path("failure").asText()).containsIgnoringCase("certificate");
    }

    @Test
    @SuppressWarnings("unchecked")
    void hostsTheNetworkPolicyRefusedAppearInNoClientFormat() throws Exception {
        String email = "eve@leaky.test";
        JsonNode j = JSON.readTree(f.get("/v1/lookup?email=" + q(email) + "&verify=true").body());
        assertThat(j.path("sources").findValuesAsText("detail").toString()).contains("trusted (https on leaky.test)");
        // Names of loopback and private addresses are listed, refused; the bare loopback forms are not host
        // names a config may use at all.
        for (String direction : List.of("incoming", "outgoing")) {
            assertThat(j.path(direction).findValuesAsText("host")).contains("intranet.leaky.test", "loop.leaky.test")
                    .doesNotContain("127.0.0.1", "localhost");
            for (JsonNode s : j.path(direction)) {
                if (FORBIDDEN.contains(s.path("host").asText())) {
                    assertThat(s.at("/probe/failureKind").asText()).as(s.toString()).isEqualTo("refused");
                }
            }
        }
        assertThat(j.path("warnings").toString()).contains("host name '127.0.0.1' is not valid; server ignored")
                .contains("host name 'localhost' is not valid; server ignored");

        ClientConfig config = thunderbirdConfig(email);
        assertThat(config.incoming()).extracting(ServerConfig::hostname).containsExactly("mail.good.test");
        // Nothing outgoing was verified: the trusted server whose port was closed is all a client can try.
        assertThat(config.outgoing()).extracting(ServerConfig::hostname).containsExactly("closed.leaky.test");

        HttpResponse<byte[]> profile = f.getBytes("/v1/mobileconfig?email=" + q(email));
        assertThat(profile.statusCode()).isEqualTo(200);
        Map<String, Object> mail = MobileconfigTest.mailPayload(
                (Map<String, Object>) MobileconfigTest.parsePlist(profile.body()));
        assertThat(mail).containsEntry("IncomingMailServerHostName", "mail.good.test")
                .containsEntry("OutgoingMailServerHostName", "closed.leaky.test");

        HttpResponse<String> pox = f.post("/autodiscover/autodiscover.xml", "text/xml",
                AutodiscoverTest.request(email).getBytes(StandardCharsets.UTF_8));
        assertThat(pox.statusCode()).isEqualTo(200);

        byte[] xml = f.getBytes("/mail/config-v1.1.xml?emailaddress=" + q(email)).body();
        for (String served : List.of(new String(xml, StandardCharsets.UTF_8),
                new String(profile.body(), StandardCharsets.UTF_8), pox.body())) {
            assertThat(served).doesNotContain(FORBIDDEN);
        }
    }
}
