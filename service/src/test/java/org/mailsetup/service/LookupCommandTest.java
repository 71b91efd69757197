package org.mailsetup.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsetup.testkit.FakeDnsServer;

class LookupCommandTest {

    private static FakeDnsServer dns;

    @BeforeAll
    static void start() throws Exception {
        dns = new FakeDnsServer().start()
                .mx("srv.test", 10, "mx.srv.test")
                .srv("_imaps._tcp.srv.test", 0, 1, 993, "imap.srv.test")
                .srv("_submission._tcp.srv.test", 0, 1, 587, "smtp.srv.test")
                .a("imap.srv.test", "127.0.0.1").a("smtp.srv.test", "127.0.0.1")
                .srv("_caldavs._tcp.srv.test", 0, 1, 443, "dav.srv.test").txt("_caldavs._tcp.srv.test", "path=/cal/")
                .nxdomain("gone.test")
                .servfail("broken.test");
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    private record Output(int exit, String out) {
    }

    private static Output run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 7];
            all[0] = "lookup";
            all[1] = "--dns";
            all[2] = "127.0.0.1:" + dns.port();
            all[3] = "--allow-network";
            all[4] = "127.0.0.0/8";
            all[5] = "--no-verify";
            all[6] = "--timeout=3s";
            System.arraycopy(args, 0, all, 7, args.length);
            int exit = Main.run(all);
            return new Output(exit, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void aProviderWithoutClientAccessSaysSoAtOnceWithItsPageAndBridge() throws Exception {
        // Proton Mail is in the bundled database as such a provider; the fake DNS knows nothing of it.
        Output o = run("--json", "someone@protonmail.com");

        assertThat(o.exit()).isEqualTo(1);
        JsonNode e = new ObjectMapper().readTree(o.out()).get("error");
        assertThat(e.get("code").asText()).isEqualTo("no-client-access");
        assertThat(e.get("url").asText()).isEqualTo("https://proton.me/support/protonmail-bridge-faq");
        assertThat(e.at("/bridge/0/protocol").asText()).isEqualTo("imap");
        assertThat(e.at("/bridge/0/host").asText()).isEqualTo("127.0.0.1");
        assertThat(e.at("/bridge/0/port").asInt()).isEqualTo(1143);
        assertThat(e.at("/bridge/0/security").asText()).isEqualTo("starttls");

        Output text = run("someone@protonmail.com");
        assertThat(text.out()).contains("error: no-client-access: Proton Mail offers mail apps no IMAP or SMTP servers",
                "  see https://proton.me/support/protonmail-bridge-faq",
                "  local bridge: IMAP 127.0.0.1:1143 starttls", "  local bridge: SMTP 127.0.0.1:1025 starttls");
    }

    @Test
    void otherErrorsCarryNoUrlOrBridge() throws Exception {
        JsonNode e = new ObjectMapper().readTree(run("--json", "bob@gone.test").out()).get("error");
        assertThat(e.get("code").asText()).isEqualTo("domain-not-found");
        assertThat(e.has("url")).isFalse();
        assertThat(e.has("bridge")).isFalse();
    }

    @Test
    void jsonFollowsTheContract() throws Exception {
        Output o = run("--json", "alice@srv.test");
        assertThat(o.exit()).isZero();
        JsonNode j = new ObjectMapper().readTree(o.out());
        assertThat(j.get("domain").asText()).isEqualTo("srv.test");
        assertThat(j.at("/incoming/0/host").asText()).isEqualTo("imap.srv.test");
        assertThat(j.at("/incoming/0/security").asText()).isEqualTo("tls");
        assertThat(j.at("/outgoing/0/port").asInt()).isEqualTo(587);
        assertThat(j.at("/outgoing/0/security").asText()).isEqualTo("starttls");
        assertThat(j.get("error").isNull()).isTrue();
        assertThat(j.has("success")).isFalse();
    }

    @Test
    void tableNamesServersAndSources() {
        Output o = run("alice@srv.test");
        assertThat(o.exit()).isZero();
        assertThat(o.out()).contains("IMAP imap.srv.test:993 tls").contains("srv").contains("unverified");
    }

    @Test
    void otherServicesAreLookedUpWhenAskedFor() throws Exception {
        Output o = run("--json", "--services=calendars,contacts", "alice@srv.test");

        assertThat(o.exit()).isZero();
        JsonNode j = new ObjectMapper().readTree(o.out());
        assertThat(j.at("/calendars/0/url").asText()).isEqualTo("https://dav.srv.test/cal/");
        assertThat(j.at("/calendars/0/trusted").asBoolean()).isTrue();
        assertThat(j.at("/calendars/0/notProbed").asText()).isEqualTo("verification is switched off");
        assertThat(j.get("jmap").isEmpty()).isTrue();
        assertThat(j.get("sources").findValuesAsText("name")).contains("caldav", "carddav").doesNotContain("jmap");

        Output table = run("--services", "all", "alice@srv.test");
        assertThat(table.out()).contains("""

                Calendars
                  1. https://dav.srv.test/cal/  user alice@srv.test  [unverified, trusted]  via caldav
                """);
        assertThat(run("--json", "alice@srv.test").out()).doesNotContain("dav.srv.test");
    }

    @Test
    void anUnknownServiceIsACommandLineError() {
        assertThat(run("--services=mail,fax", "alice@srv.test").exit()).isEqualTo(2);
    }

    @Test
    void failedLookupExitsWithOne() throws Exception {
        Output o = run("--json", "alice@gone.test");
        assertThat(o.exit()).isEqualTo(1);
        assertThat(new ObjectMapper().readTree(o.out()).at("/error/code").asText()).isEqualTo("domain-not-found");
    }

    @Test
    void resolverFailureExitsWithThree() throws Exception {
        Output o = run("--json", "alice@broken.test");
        assertThat(o.exit()).isEqualTo(3);
        assertThat(new ObjectMapper().readTree(o.out()).at("/error/code").asText()).isEqualTo("dns-failure");
    }

    @Test
    void operatorEntriesTakePrecedence(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("own.test.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <clientConfig version="1.1">
                  <emailProvider id="own.test">
                    <domain>own.test</domain>
                    <displayName>Own Mail</displayName>
                    <displayShortName>Own</displayShortName>
                    <incomingServer type="imap">
                      <hostname>imap.own.test</hostname>
                      <port>993</port>
                      <socketType>SSL</socketType>
                      <username>%EMAILLOCALPART%</username>
                      <authentication>password-cleartext</authentication>
                    </incomingServer>
                    <outgoingServer type="smtp">
                      <hostname>smtp.own.test</hostname>
                      <port>465</port>
                      <socketType>SSL</socketType>
                      <username>%EMAILLOCALPART%</username>
                      <authentication>password-cleartext</authentication>
                    </outgoingServer>
                  </emailProvider>
                </clientConfig>
                """);
        dns.mx("own.test", 10, "mx.own.test");
        Output o = run("--json", "--providers-dir", dir.toString(), "frank@own.test");
        JsonNode j = new ObjectMapper().readTree(o.out());
        assertThat(j.at("/provider/name").asText()).isEqualTo("Own Mail");
        assertThat(j.at("/incoming/0/host").asText()).isEqualTo("imap.own.test");
        assertThat(j.at("/incoming/0/username").asText()).isEqualTo("frank");
    }

    @Test
    void fileOfAddressesGivesOneJsonLineEach(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("addresses.txt");
        Files.writeString(list, "alice@srv.test\nnot-an-address\nbob@gone.test\n");
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            exit = Main.run("lookup", "--dns", "127.0.0.1:" + dns.port(), "--allow-network", "127.0.0.0/8",
                    "--no-verify", "--timeout=3s", list.toString());
        } finally {
            System.setOut(saved);
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(exit).isEqualTo(1);
        assertThat(lines).hasSize(3);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(lines[0]).at("/incoming/0/host").asText()).isEqualTo("imap.srv.test");
        assertThat(json.readTree(lines[1]).at("/error/code").asText()).isEqualTo("invalid-email");
        assertThat(json.readTree(lines[2]).at("/error/code").asText()).isEqualTo("domain-not-found");
    }
}
