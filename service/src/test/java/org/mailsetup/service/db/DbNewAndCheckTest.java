package org.mailsetup.service.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsetup.Protocol;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.providerdb.Diagnostic;
import org.mailsetup.providerdb.Provenance;
import org.mailsetup.providerdb.ProviderFile;
import org.mailsetup.providerdb.ProviderValidator;
import org.mailsetup.providerdb.ValidationReport;
import org.mailsetup.service.db.DbCommandTest.Run;
import org.mailsetup.testkit.FakeDnsServer;
import org.mailsetup.testkit.ScriptedMailServer;

/** db new and db check against scripted TLS servers on 127.0.0.1, names served by a fake DNS server. */
class DbNewAndCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static FakeDnsServer dns;
    private static ScriptedMailServer imap;
    private static ScriptedMailServer smtp;
    private static int closedPort;
    @TempDir
    static Path tmp;
    private static Path caFile;

    @BeforeAll
    static void start() throws Exception {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("db test CA").build();
        caFile = tmp.resolve("ca.pem");
        Files.writeString(caFile, ca.certificatePem());
        imap = ScriptedMailServer.builder()
                .implicitTls(tls(ca, "imap.lab.test"))
                .send("* OK ready")
                .expect("a1 CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2")
                .send("a1 OK done")
                .expect("a2 LOGOUT")
                .send("a2 OK bye")
                .start();
        smtp = ScriptedMailServer.builder()
                .implicitTls(tls(ca, "smtp.lab.test"))
                .send("220 smtp.lab.test ESMTP")
                .expect("EHLO .*")
                .send("250-smtp.lab.test")
                .send("250 AUTH PLAIN LOGIN")
                .expect("QUIT")
                .send("221 bye")
                .start();
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // nothing listens there once it is closed
        }
        dns = new FakeDnsServer().start()
                .a("imap.lab.test", "127.0.0.1").a("smtp.lab.test", "127.0.0.1").a("closed.lab.test", "127.0.0.1")
                .mx("lab.test", 10, "mx.lab.test")
                .srv("_imaps._tcp.lab.test", 0, 1, imap.port(), "imap.lab.test")
                .srv("_submissions._tcp.lab.test", 0, 1, smtp.port(), "smtp.lab.test");
    }

    @AfterAll
    static void stop() {
        imap.close();
        smtp.close();
        dns.close();
    }

    private static SSLContext tls(HeldCertificate ca, String host) {
        HeldCertificate leaf = new HeldCertificate.Builder().signedBy(ca).commonName(host)
                .addSubjectAlternativeName(host).build();
        return new HandshakeCertificates.Builder().heldCertificate(leaf, ca.certificate()).build().sslContext();
    }

    /** The lab's network settings in front of the given arguments. */
    private static Run lab(String command, String... args) {
        List<String> all = new ArrayList<>(List.of("db", command, "--dns", "127.0.0.1:" + dns.port(),
                "--allow-network", "127.0.0.0/8", "--ca-file", caFile.toString()));
        all.addAll(List.of(args));
        return DbCommandTest.run(all.toArray(String[]::new));
    }

    @Test
    void newWritesAVerifiedDraftThatPassesTheValidator() throws Exception {
        Run r = lab("new", "--timeout", "5s", "--disable", "ispdb,guess,autodiscover,pacc",
                "--source", "https://help.lab.test/mail-settings", "lab.test");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("draft for lab.test: 1 incoming, 1 outgoing, 2 verified");
        byte[] xml = r.out().getBytes(StandardCharsets.UTF_8);
        ValidationReport report = new ProviderValidator().validate(List.of(new ProviderFile("lab.test.xml", "lab.test.xml", xml)));
        assertThat(report.diagnostics()).isEmpty();
        ClientConfig draft = ClientConfigParser.parse(xml).config();
        assertThat(draft.id()).isEqualTo("lab.test");
        assertThat(draft.domains()).containsExactly("lab.test");
        ServerConfig in = draft.incoming().get(0);
        assertThat(in.protocol()).isEqualTo(Protocol.IMAP);
        assertThat(in.hostname()).isEqualTo("imap.lab.test");
        assertThat(in.port()).isEqualTo(imap.port());
        assertThat(in.username()).isEqualTo("%EMAILADDRESS%");
        // What the probe saw, not what a source claimed: OAuth2 comes from AUTH=XOAUTH2.
        assertThat(in.authentication()).containsExactly("OAuth2", "password-cleartext");
        assertThat(draft.outgoing().get(0).authentication()).containsExactly("password-cleartext");
        assertThat(Provenance.of(new ProviderFile("lab.test.xml", "lab.test.xml", xml)).sources())
                .containsExactly(new Provenance.Source(Provenance.Kind.PROVIDER, "https://help.lab.test/mail-settings", "Mail settings"));
        assertThat(r.out())
                .contains("<!-- Draft written by mailsetup db new on ")
                .contains("sources: providerdb ")
                .contains("srv found")
                .containsPattern("<!-- found by srv \\(trusted\\); verified: TLSv1\\.[23], certificate valid")
                .doesNotContain("<!-- found by srv (trusted); NOT verified");
    }

    @Test
    void newRefusesToOverwriteAFile() throws IOException {
        Path existing = Files.writeString(tmp.resolve("existing.xml"), "keep me");

        Run r = lab("new", "--timeout", "5s", "--out", existing.toString(), "lab.test");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("exists; use --force");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }

    @Test
    void newWritesToAFileWithOut() throws IOException {
        Path target = tmp.resolve("lab.test.xml");

        Run r = lab("new", "--timeout", "5s", "--disable", "ispdb,guess,autodiscover,pacc", "--out", target.toString(),
                "someone@lab.test");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        // Without --source the draft names none, and the validator says so: a lookup is not a source.
        assertThat(r.err()).contains("it names no source yet");
        assertThat(new ProviderValidator().validate(List.of(new ProviderFile("lab.test.xml", "lab.test.xml",
                Files.readAllBytes(target)))).errors()).map(Diagnostic::toString).singleElement().asString()
                .contains("error: no source");
    }

    @Test
    void checkReportsWhatStillAnswersAsDescribed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("check"));
        Files.writeString(dir.resolve("lab.test.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <clientConfig version="1.1">
                  <emailProvider id="lab.test">
                    <domain>lab.test</domain>
                    <displayName>Lab</displayName>
                    <incomingServer type="imap">
                      <hostname>imap.lab.test</hostname><port>%d</port><socketType>SSL</socketType>
                      <username>%%EMAILADDRESS%%</username>
                      <authentication>OAuth2</authentication><authentication>password-cleartext</authentication>
                    </incomingServer>
                    <outgoingServer type="smtp">
                      <hostname>smtp.lab.test</hostname><port>%d</port><socketType>SSL</socketType>
                      <username>%%EMAILADDRESS%%</username>
                      <authentication>OAuth2</authentication><authentication>password-cleartext</authentication>
                    </outgoingServer>
                    <outgoingServer type="smtp">
                      <hostname>closed.lab.test</hostname><port>%d</port><socketType>SSL</socketType>
                      <username>%%EMAILADDRESS%%</username>
                      <authentication>password-cleartext</authentication>
                    </outgoingServer>
                    <documentation url="https://help.lab.test/settings"/>
                  </emailProvider>
                </clientConfig>
                """.formatted(imap.port(), smtp.port(), closedPort));

        Run r = lab("check", "--providers-dir", dir.toString(), "--timeout", "5s", "--all", "--json");

        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        List<JsonNode> lines = r.out().lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertThat(lines).map(l -> l.get("host").asText() + " " + l.get("status").asText()).containsExactly(
                "imap.lab.test OK", "smtp.lab.test AUTH_DIFFERS", "closed.lab.test FAILED");
        assertThat(lines.get(0).get("tlsVersion").asText()).startsWith("TLSv1.");
        assertThat(lines.get(1).get("detail").asText()).isEqualTo("entry lists OAuth2; server offers password-cleartext");
        assertThat(lines.get(2).get("detail").asText()).contains("connection refused (127.0.0.1:" + closedPort + ")");

        Run text = lab("check", "--providers-dir", dir.toString(), "--timeout", "5s", "--provider", "lab.test");
        assertThat(text.exit()).isEqualTo(1);
        assertThat(text.out().lines().toList()).last().isEqualTo("3 servers checked in 1 entry: 1 as described, 2 not");
    }

    @Test
    void checkAllReportsEveryEntryAndDatesOnlyThoseThatPassed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("check-all"));
        String good = """
                <?xml version="1.0" encoding="UTF-8"?>
                <clientConfig version="1.1" xmlns:ms="urn:mailsetup:provider:1">
                  <emailProvider id="good.test">
                    <domain>good.test</domain>
                    <displayName>Good</displayName>
                    <incomingServer type="imap">
                      <hostname>imap.lab.test</hostname><port>%d</port><socketType>SSL</socketType>
                      <username>%%EMAILADDRESS%%</username><authentication>password-cleartext</authentication>
                    </incomingServer>
                    <outgoingServer type="smtp">
                      <hostname>smtp.lab.test</hostname><port>%d</port><socketType>SSL</socketType>
                      <username>%%EMAILADDRESS%%</username><authentication>password-cleartext</authentication>
                    </outgoingServer>
                    <documentation url="https://help.good.test/settings"/>
                    <ms:lastVerified>2020-01-01</ms:lastVerified>
                  </emailProvider>
                </clientConfig>
                """.formatted(imap.port(), smtp.port());
        Files.writeString(dir.resolve("good.test.xml"), good);
        String drifted = good.replace("good.test", "drift.test")
                .replace("<ms:lastVerified>2020-01-01</ms:lastVerified>", "")
                .replace("<authentication>password-cleartext</authentication>\n    </outgoingServer>",
                        "<authentication>OAuth2</authentication>\n    </outgoingServer>");
        Files.writeString(dir.resolve("drift.test.xml"), drifted);
        String broken = good.replace("good.test", "broken.test").replace(String.valueOf(smtp.port()), String.valueOf(closedPort))
                .replace("<ms:lastVerified>2020-01-01</ms:lastVerified>", "");
        Files.writeString(dir.resolve("broken.test.xml"), broken);
        Path report = tmp.resolve("report.md");

        Run r = lab("check", "--providers-dir", dir.toString(), "--timeout", "5s", "--all", "--parallel", "2",
                "--report", report.toString(), "--update");

        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(Files.readString(report).lines().toList()).contains(
                "| entry | servers | result | details |",
                "| good.test | 2 | ok |  |",
                "3 entries checked: 1 ok, 2 not");
        assertThat(Files.readString(report)).containsPattern("\\| drift\\.test \\| 2 \\| auth drift \\| smtp smtp\\.lab\\.test:\\d+: entry lists OAuth2")
                .containsPattern("\\| broken\\.test \\| 2 \\| failed \\| smtp smtp\\.lab\\.test:" + closedPort + ": connection refused");
        assertThat(r.err()).contains("1 entry passed: ms:lastVerified written in " + dir);
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        assertThat(Files.readString(dir.resolve("good.test.xml")))
                .isEqualTo(good.replace("2020-01-01", today));
        assertThat(Files.readString(dir.resolve("drift.test.xml"))).isEqualTo(drifted);
        assertThat(Files.readString(dir.resolve("broken.test.xml"))).isEqualTo(broken);
    }

    @Test
    void checkNeedsEntriesNamedOrAllAndUpdateNeedsTheirDirectory() {
        assertThat(lab("check").err()).contains("name the entries with --provider ID, or check every entry with --all");
        assertThat(lab("check", "--all", "--update").err()).contains("--update writes entry files");
        assertThat(lab("check", "--all", "--update").exit()).isEqualTo(2);
    }

    @Test
    void checkRejectsAnUnknownProvider() {
        Run r = lab("check", "--provider", "no-such-provider.example");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no entry with id 'no-such-provider.example'");
    }

    @Test
    void draftCommentsAreMadeLegal() {
        assertThat(DraftWriter.safe("a--b\u0007-")).isEqualTo("a- -b - ");
        assertThat(DraftWriter.safe("x---y")).doesNotContain("--");
    }
}
