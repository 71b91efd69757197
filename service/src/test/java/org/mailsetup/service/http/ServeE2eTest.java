package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsetup.service.http.Fixture.q;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
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
import org.mailsetup.testkit.E2eServers;
import org.mailsetup.testkit.FakeDnsServer;
import org.w3c.dom.Element;

/**
 * The service end to end: HTTP requests, discovery through DNS to the real Dovecot and Postfix that
 * {@code scripts/e2e-servers.sh} runs, probes that verify them, and the answers in every client format.
 */
@Tag("e2e")
class ServeE2eTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Fixture f;

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
        MailSetup.Builder discovery = MailSetup.builder()
                .dnsServer(dns.address())
                .allowNetwork("127.0.10.0/24")
                .caFile(E2eServers.workDir().resolve("pki/ca.pem"))
                // The online ISPDB would only get NXDOMAIN from the fake DNS.
                .disable(SourceName.ISPDB)
                .timeout(Duration.ofSeconds(10));
        f = Fixture.start(dns, ServeSettings.defaults().withRateLimit(null, 0).withTimeouts(
                Duration.ofSeconds(12), Duration.ofSeconds(15)), OwnEntries.none(),
                () -> MailSetupLookups.build(discovery, true));
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
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
        HttpResponse<byte[]> r = f.getBytes("/mail/config-v1.1.xml?emailaddress=" + q("alice@good.test"));

        assertThat(r.statusCode()).isEqualTo(200);
        ClientConfig config = ClientConfigParser.parse(r.body()).config();
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
}
