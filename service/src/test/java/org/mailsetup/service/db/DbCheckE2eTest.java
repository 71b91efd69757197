package org.mailsetup.service.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsetup.providerdb.Provenance;
import org.mailsetup.providerdb.ProviderFile;
import org.mailsetup.service.db.DbCommandTest.Run;
import org.mailsetup.testkit.E2eServers;
import org.mailsetup.testkit.FakeDnsServer;

/** db check --all against the real Dovecot and Postfix: one entry that proves out, one that cannot. */
@Tag("e2e")
class DbCheckE2eTest {

    private static FakeDnsServer dns;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        if (E2eServers.running()) {
            dns = E2eServers.namesFor(new FakeDnsServer().start());
        }
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    @BeforeEach
    void serversRunning() {
        E2eServers.assumeRunning();
    }

    private static String entry(String domain) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <clientConfig version="1.1" xmlns:ms="urn:mailsetup:provider:1">
                  <emailProvider id="%1$s">
                    <domain>%1$s</domain>
                    <displayName>%1$s</displayName>
                    <incomingServer type="imap">
                      <hostname>mail.%1$s</hostname><port>993</port><socketType>SSL</socketType>
                      <username>%%EMAILADDRESS%%</username><authentication>password-cleartext</authentication>
                    </incomingServer>
                    <outgoingServer type="smtp">
                      <hostname>mail.%1$s</hostname><port>465</port><socketType>SSL</socketType>
                      <username>%%EMAILADDRESS%%</username><authentication>password-cleartext</authentication>
                    </outgoingServer>
                    <documentation url="https://help.%1$s/mail"/>
                  </emailProvider>
                </clientConfig>
                """.formatted(domain);
    }

    @Test
    void aWholeDirectoryIsReportedAndOnlyTheEntryThatPassedIsDated() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("entries"));
        Files.writeString(dir.resolve("good.test.xml"), entry("good.test"));
        Files.writeString(dir.resolve("selfsigned.test.xml"), entry("selfsigned.test"));
        Path report = tmp.resolve("check.md");

        Run r = DbCommandTest.run("db", "check", "--all", "--providers-dir", dir.toString(), "--parallel", "4",
                "--timeout", "10s", "--dns", "127.0.0.1:" + dns.port(), "--allow-network", "127.0.10.0/24",
                "--ca-file", E2eServers.workDir().resolve("pki/ca.pem").toString(), "--report", report.toString(),
                "--update");

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        String table = Files.readString(report);
        assertThat(table).contains("| good.test | 2 | ok |  |", "2 entries checked: 1 ok, 1 not")
                .containsPattern("\\| selfsigned\\.test \\| 2 \\| failed \\| imap mail\\.selfsigned\\.test:993: [^|]*certificate");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(Provenance.of(new ProviderFile("good.test.xml", "good.test.xml",
                Files.readAllBytes(dir.resolve("good.test.xml")))).lastVerified()).isEqualTo(today);
        assertThat(Files.readString(dir.resolve("selfsigned.test.xml"))).isEqualTo(entry("selfsigned.test"));
    }
}
