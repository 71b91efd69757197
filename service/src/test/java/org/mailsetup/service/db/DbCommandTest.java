package org.mailsetup.service.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.providerdb.ProviderDatabase;
import org.mailsetup.providerdb.ProviderFile;
import org.mailsetup.service.Main;

class DbCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A minimal valid entry; the port can be spoiled to make it invalid. */
    static String entry(String id, String domain, String port, String... mx) {
        StringBuilder mxHosts = new StringBuilder();
        for (String m : mx) {
            mxHosts.append("    <ms:mxHost>").append(m).append("</ms:mxHost>\n");
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <clientConfig version="1.1" xmlns:ms="urn:mailsetup:provider:1">
                  <emailProvider id="%1$s">
                    <domain>%2$s</domain>
                    <displayName>%1$s mail</displayName>
                    <incomingServer type="imap">
                      <hostname>mail.%%EMAILDOMAIN%%</hostname>
                      <port>%3$s</port>
                      <socketType>SSL</socketType>
                      <username>%%EMAILLOCALPART%%</username>
                      <authentication>password-cleartext</authentication>
                    </incomingServer>
                    <outgoingServer type="smtp">
                      <hostname>smtp.%2$s</hostname>
                      <port>587</port>
                      <socketType>STARTTLS</socketType>
                      <username>%%EMAILADDRESS%%</username>
                      <authentication>password-cleartext</authentication>
                    </outgoingServer>
                %4$s    <ms:note type="enable-imap" url="https://help.%2$s/imap">Turn on IMAP first.</ms:note>
                    <documentation url="https://help.%2$s/mail-settings"/>
                  </emailProvider>
                </clientConfig>
                """.formatted(id, domain, port, mxHosts);
    }

    @BeforeEach
    void entries() throws IOException {
        Files.writeString(dir.resolve("alpha.xml"), entry("alpha", "alpha.example", "993", "*.mx.alpha.example"));
        Files.writeString(dir.resolve("books.xml"), entry("books", "xn--bcher-kva.example", "993", "mx.books.example"));
    }

    @Test
    void dbWithoutASubcommandIsAUsageError() {
        Run r = run("db");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required subcommand").contains("validate").contains("import-ispdb");
    }

    @Test
    void validateChecksTheBundledDatabaseByDefault() {
        Run r = run("db", "validate");

        assertThat(r.exit()).isZero();
        assertThat(r.lines()).last().asString()
                .startsWith(ProviderFile.bundledNames().size() + " files checked: 0 errors");
    }

    @Test
    void validatePrintsFileAndLineAndFailsOnErrors() throws IOException {
        Files.writeString(dir.resolve("broken.xml"), entry("broken", "broken.example", "70000"));

        Run r = run("db", "validate", dir.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.lines()).containsExactly(
                dir.resolve("broken.xml") + ":8: error: port 70000 is out of range (1-65535)",
                "3 files checked: 1 error, 0 warnings");
    }

    @Test
    void validateReportsAnUnreadableDirectory() {
        Run r = run("db", "validate", dir.resolve("missing").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("cannot read").contains("not a directory");
    }

    @Test
    void showPrintsTheEntryForDomainsAndAddressesConvertingUnicode() {
        Run r = run("db", "show", "--providers-dir", dir.toString(), "alpha.example", "Bob@Bücher.example",
                "nobody.example");

        assertThat(r.exit()).isZero();
        assertThat(r.lines()).containsExactly(
                "alpha.example: alpha mail [alpha]",
                "  imap mail.alpha.example:993           tls      user %EMAILLOCALPART%  auth password-cleartext",
                "  smtp smtp.alpha.example:587           starttls user %EMAILADDRESS%  auth password-cleartext",
                "  note (enable-imap): Turn on IMAP first. https://help.alpha.example/imap",
                "Bob@Bücher.example (xn--bcher-kva.example): books mail [books]",
                "  imap mail.xn--bcher-kva.example:993   tls      user %EMAILLOCALPART%  auth password-cleartext",
                "  smtp smtp.xn--bcher-kva.example:587   starttls user %EMAILADDRESS%  auth password-cleartext",
                "  note (enable-imap): Turn on IMAP first. https://help.xn--bcher-kva.example/imap",
                "nobody.example: not in the provider database");
    }

    @Test
    void showJsonWritesOneObjectPerLineAndFlagsInvalidInput() throws IOException {
        Run r = run("db", "show", "--json", "--providers-dir", dir.toString(), "alpha.example", "nobody.example", "bad..example");

        assertThat(r.exit()).isEqualTo(1);
        List<String> lines = r.lines();
        assertThat(lines).hasSize(3);
        JsonNode hit = JSON.readTree(lines.get(0));
        assertThat(hit.get("domain").asText()).isEqualTo("alpha.example");
        assertThat(hit.at("/provider/id").asText()).isEqualTo("alpha");
        assertThat(hit.at("/incoming/0/host").asText()).isEqualTo("mail.alpha.example");
        assertThat(hit.at("/incoming/0/port").asInt()).isEqualTo(993);
        assertThat(hit.at("/incoming/0/security").asText()).isEqualTo("tls");
        assertThat(hit.at("/outgoing/0/security").asText()).isEqualTo("starttls");
        assertThat(hit.at("/notes/0/type").asText()).isEqualTo("enable-imap");
        assertThat(hit.has("error")).isFalse();
        JsonNode miss = JSON.readTree(lines.get(1));
        assertThat(miss.get("provider").isNull()).isTrue();
        assertThat(miss.get("incoming")).isEmpty();
        JsonNode bad = JSON.readTree(lines.get(2));
        assertThat(bad.get("domain").asText()).isEqualTo("bad..example");
        assertThat(bad.get("error").asText()).contains("empty label");
    }

    @Test
    void showReadsDomainsFromStandardInput() {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream("alpha.example\n\n# a comment\nnobody.example\nbücher.example\n"
                .getBytes(StandardCharsets.UTF_8)));
        try {
            Run r = run("db", "show", "--json", "--providers-dir", dir.toString(), "-");

            assertThat(r.exit()).isZero();
            assertThat(r.lines()).hasSize(3);
            assertThat(r.lines()).map(l -> JSON.readTree(l).get("domain").asText())
                    .containsExactly("alpha.example", "nobody.example", "xn--bcher-kva.example");
            assertThat(r.lines()).map(l -> JSON.readTree(l).at("/provider/id").asText(null))
                    .containsExactly("alpha", null, "books");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void showMxTellsWhichEntryAnMxHostIdentifies() throws IOException {
        Run r = run("db", "show", "--providers-dir", dir.toString(), "--mx", "mx3.mx.alpha.example",
                "--mx", "mx.books.example", "--mx", "mx.other.example");

        assertThat(r.exit()).isZero();
        assertThat(r.lines()).filteredOn(l -> l.startsWith("mx ")).containsExactly(
                "mx mx3.mx.alpha.example: alpha mail [alpha] via *.mx.alpha.example",
                "mx mx.books.example: books mail [books] via mx.books.example",
                "mx mx.other.example: no entry claims this MX host");

        JsonNode json = JSON.readTree(run("db", "show", "--json", "--providers-dir", dir.toString(),
                "--mx", "a.mx.alpha.example").out());
        assertThat(json.get("pattern").asText()).isEqualTo("*.mx.alpha.example");
        assertThat(json.at("/provider/id").asText()).isEqualTo("alpha");
        // Without a domain the host template stays as written.
        assertThat(json.at("/incoming/0/host").asText()).isEqualTo("mail.%EMAILDOMAIN%");
    }

    @Test
    void showUsesTheBundledDatabaseWithoutAProvidersDir() {
        ClientConfig first = ProviderDatabase.bundled().entries().get(0);

        Run r = run("db", "show", first.domains().get(0));

        assertThat(r.exit()).isZero();
        assertThat(r.lines().get(0)).isEqualTo(first.domains().get(0) + ": " + first.name() + " [" + first.id() + "]");
    }

    @Test
    void showRefusesAnInvalidProvidersDirWithFileAndLine() throws IOException {
        Files.writeString(dir.resolve("broken.xml"), entry("broken", "broken.example", "0"));

        Run r = run("db", "show", "--providers-dir", dir.toString(), "alpha.example");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(dir.resolve("broken.xml") + ":8: error: port 0 is out of range (1-65535)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void showWithoutInputIsAUsageError() {
        Run r = run("db", "show");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("give at least one DOMAIN");
    }

    @Test
    void statsCountsWhatTheDatabaseCovers() throws IOException {
        Run r = run("db", "stats", "--json", dir.toString());

        assertThat(r.exit()).isZero();
        JsonNode s = JSON.readTree(r.out());
        assertThat(s.get("providers").asInt()).isEqualTo(2);
        assertThat(s.get("domains").asInt()).isEqualTo(2);
        assertThat(s.get("mxPlatforms").asInt()).isEqualTo(2);
        assertThat(s.get("mxPatterns").asInt()).isEqualTo(2);
        assertThat(s.get("withOAuth2").asInt()).isZero();
        assertThat(s.get("withNotes").asInt()).isEqualTo(2);
        assertThat(s.at("/notesByType/enable-imap").asInt()).isEqualTo(2);
        assertThat(s.at("/serversBySecurity/tls").asInt()).isEqualTo(2);
        assertThat(s.at("/serversBySecurity/starttls").asInt()).isEqualTo(2);
        assertThat(s.at("/entriesByKind/domains").asInt()).isEqualTo(2);
        assertThat(s.at("/entriesBySource/documentation").asInt()).isEqualTo(2);
        assertThat(s.get("withLastVerified").asInt()).isZero();
        assertThat(s.get("withoutLastVerified").asInt()).isEqualTo(2);

        Run text = run("db", "stats", dir.toString());
        assertThat(text.lines()).contains("providers                2",
                "entries by source        {documentation=2}",
                "live-checked (dated)     0, undated 2",
                "by socket security       tls 2 (50%), starttls 2 (50%), plain 0 (0%)");
    }

    @Test
    void statsCountsSourcesAndTheAgeOfLiveCheckDates() throws IOException {
        Files.writeString(dir.resolve("books.xml"), entry("books", "xn--bcher-kva.example", "993", "mx.books.example")
                .replace("<documentation url=\"https://help.xn--bcher-kva.example/mail-settings\"/>",
                        "<ms:source type=\"reference\" url=\"https://reference.example/books.xml\">A reference</ms:source>"
                                + "<ms:lastVerified>2020-02-03</ms:lastVerified><ms:added>2020-02-01</ms:added>"));

        JsonNode s = JSON.readTree(run("db", "stats", "--json", dir.toString()).out());

        assertThat(s.at("/entriesBySource/documentation").asInt()).isEqualTo(1);
        assertThat(s.at("/entriesBySource/reference").asInt()).isEqualTo(1);
        assertThat(s.get("withAdded").asInt()).isEqualTo(1);
        assertThat(s.get("withLastVerified").asInt()).isEqualTo(1);
        assertThat(s.get("oldestVerification").asText()).isEqualTo("2020-02-03");
        assertThat(s.at("/verificationAges/older").asInt()).isEqualTo(1);
    }

    @Test
    void importIspdbReportsEveryFile() throws IOException {
        Path ispdb = Files.createDirectory(dir.resolve("ispdb"));
        Files.writeString(ispdb.resolve("alpha.example.xml"), entry("alpha.example", "alpha.example", "993"));
        Files.writeString(ispdb.resolve("broken.xml"), "<clientConfig>");
        Files.writeString(ispdb.resolve("exchange.example.xml"), """
                <clientConfig version="1.1"><emailProvider id="exchange.example"><domain>exchange.example</domain>
                <incomingServer type="exchange"><hostname>outlook.example</hostname></incomingServer>
                <outgoingServer type="smtp"><hostname>smtp.exchange.example</hostname><port>587</port>
                <socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username>
                <authentication>password-cleartext</authentication></outgoingServer></emailProvider></clientConfig>""");

        Run r = run("db", "import-ispdb", ispdb.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.lines()).hasSize(5);
        assertThat(r.lines().get(0)).isEqualTo("alpha.example.xml: ok: alpha.example, 1 domain, 1 incoming, 1 outgoing");
        assertThat(r.lines().get(1)).startsWith("broken.xml: rejected: not a well-formed config-v1.1 document");
        assertThat(r.lines().subList(2, 5)).containsExactly(
                "exchange.example.xml: ok: exchange.example, 1 domain, 0 incoming, 1 outgoing",
                "  warning: incomingServer type='exchange' is not a supported protocol; ignored",
                "3 files: 2 accepted (1 with warnings), 1 rejected; 2 domains indexed");
    }
}
