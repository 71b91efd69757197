package org.mailsetup.providerdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsetup.config.ClientConfig;

class IspdbImportTest {

    /** The ISPDB reference copy beside the project root (the build passes its place). */
    private static final Path REFERENCE = Path.of(System.getProperty("mailsetup.reference.dir", "../shared/reference"), "ispdb");

    @Test
    void reportsEachFileAcceptedOrRejectedWithAReason(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.dir("valid").resolve("alpha.xml"), dir.resolve("alpha.xml"));
        // The ISPDB names files after a domain, not the id, and has no mailsetup extensions.
        Files.copy(Fixtures.dir("valid").resolve("legacy.xml"), dir.resolve("legacy.example.xml"));
        Files.writeString(dir.resolve("exchange-only.example.xml"), """
                <clientConfig version="1.1"><emailProvider id="exchange-only.example">
                  <domain>exchange-only.example</domain>
                  <incomingServer type="exchange"><hostname>outlook.example</hostname><port>443</port></incomingServer>
                </emailProvider></clientConfig>""");
        Files.writeString(dir.resolve("broken.xml"), "<clientConfig><emailProvider>");
        Files.writeString(dir.resolve("LICENSE"), "not xml");

        IspdbImport result = ProviderDatabase.importIspdb(dir);

        assertThat(result.files()).map(IspdbImport.FileOutcome::file)
                .containsExactly("alpha.xml", "broken.xml", "exchange-only.example.xml", "legacy.example.xml");
        assertThat(result.accepted()).isEqualTo(2);
        assertThat(result.files().get(1).rejection()).startsWith("not a well-formed config-v1.1 document");
        assertThat(result.files().get(2).rejection())
                .isEqualTo("no usable incoming or outgoing server: incomingServer type='exchange' is not a supported protocol; ignored");
        assertThat(result.database().byDomain("legacy.example")).map(ClientConfig::id).contains("legacy");
        assertThat(result.database().byDomain("alpha.example")).map(ClientConfig::id).contains("alpha");
    }

    @Test
    void aFileWithoutAnIdIsNamedAfterItselfAndKeepsEverythingElse(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bridged.example.xml"), Files.readString(Fixtures.dir("valid").resolve("bridged.xml"))
                .replace("<emailProvider id=\"bridged\">", "<emailProvider>"));

        ClientConfig entry = ProviderDatabase.importIspdb(dir).database().byDomain("bridged.example").orElseThrow();

        assertThat(entry.id()).isEqualTo("bridged.example");
        assertThat(entry.noClientAccess()).isNotNull();
        assertThat(entry.noClientAccess().bridge()).hasSize(2);
    }

    @Test
    void aFileWithoutAnIdKeepsItsContactsCalendarsAndJmap(@TempDir Path dir) throws Exception {
        String alpha = Files.readString(Fixtures.dir("valid").resolve("alpha.xml"));
        Files.writeString(dir.resolve("alpha.example.xml"), alpha.replace("<emailProvider id=\"alpha\">", "<emailProvider>"));
        ClientConfig withId = ProviderDatabase.parse(Fixtures.file("valid", "alpha.xml"));

        ClientConfig entry = ProviderDatabase.importIspdb(dir).database().byId("alpha.example").orElseThrow();

        assertThat(withId.services()).isNotEmpty();
        assertThat(entry.services()).isEqualTo(withId.services());
    }

    @Test
    void everyReferenceIspdbFileParsesOrIsRejectedWithAReason() throws IOException {
        assumeTrue(Files.isDirectory(REFERENCE), "no ISPDB reference copy at " + REFERENCE);
        long xmlFiles;
        try (Stream<Path> s = Files.list(REFERENCE)) {
            xmlFiles = s.filter(p -> p.toString().endsWith(".xml")).count();
        }

        IspdbImport result = ProviderDatabase.importIspdb(REFERENCE);

        assertThat(result.files()).hasSize((int) xmlFiles);
        for (IspdbImport.FileOutcome f : result.files()) {
            if (f.accepted()) {
                assertThat(f.config().incoming().size() + f.config().outgoing().size()).as(f.file()).isPositive();
            } else {
                assertThat(f.rejection()).as(f.file()).isNotBlank();
            }
        }
        // Every domain an accepted file lists must be found again through the index.
        ProviderDatabase db = result.database();
        for (IspdbImport.FileOutcome f : result.files()) {
            if (f.accepted()) {
                for (String d : f.config().domains()) {
                    assertThat(db.byDomain(d)).as(d + " from " + f.file()).isPresent();
                }
            }
        }
        assertThat(db.domainCount()).isPositive();
    }
}
