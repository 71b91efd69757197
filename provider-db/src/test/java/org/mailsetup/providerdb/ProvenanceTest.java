package org.mailsetup.providerdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

    private static final String ENTRY = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment that must survive -->
            <clientConfig version="1.1" xmlns:ms="urn:mailsetup:provider:1">
              <emailProvider id="p.example">
                <domain>p.example</domain>
                <documentation url="https://help.p.example/imap"><descr lang="en">IMAP</descr></documentation>
                <ms:source type="reference" url="https://reference.example/p.xml">Domains from a reference</ms:source>
                <ms:source type="provider" url="https://help.p.example/domains"/>
                <ms:added>2026-01-02</ms:added>
              </emailProvider>
            </clientConfig>
            """;

    private static ProviderFile file(String xml) {
        return new ProviderFile("p.example.xml", "p.example.xml", xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsSourcesAndDates() {
        Provenance p = Provenance.of(file(ENTRY));

        assertThat(p.sources()).containsExactly(
                new Provenance.Source(Provenance.Kind.DOCUMENTATION, "https://help.p.example/imap", null),
                new Provenance.Source(Provenance.Kind.REFERENCE, "https://reference.example/p.xml", "Domains from a reference"),
                new Provenance.Source(Provenance.Kind.PROVIDER, "https://help.p.example/domains", null));
        assertThat(p.strongest()).isEqualTo(Provenance.Kind.DOCUMENTATION);
        assertThat(p.added()).isEqualTo(LocalDate.of(2026, 1, 2));
        assertThat(p.lastVerified()).isNull();
    }

    @Test
    void aDateIsAddedAsTheLastChildAndThenReplaced() {
        byte[] once = Provenance.withLastVerified(ENTRY.getBytes(StandardCharsets.UTF_8), LocalDate.of(2026, 3, 4));
        String text = new String(once, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(ENTRY.replace("<ms:added>2026-01-02</ms:added>\n",
                "<ms:added>2026-01-02</ms:added>\n    <ms:lastVerified>2026-03-04</ms:lastVerified>\n"));

        byte[] twice = Provenance.withLastVerified(once, LocalDate.of(2026, 5, 6));
        assertThat(Provenance.of(file(new String(twice, StandardCharsets.UTF_8))).lastVerified())
                .isEqualTo(LocalDate.of(2026, 5, 6));
        assertThat(new String(twice, StandardCharsets.UTF_8)).doesNotContain("2026-03-04").contains("a comment that must survive");
    }

    @Test
    void anEntryWithoutTheExtensionNamespaceGetsItOnTheNewElement() {
        String plain = ENTRY.replace(" xmlns:ms=\"urn:mailsetup:provider:1\"", "").replaceAll("\\s*<ms:[^\\n]*", "");
        byte[] stamped = Provenance.withLastVerified(plain.getBytes(StandardCharsets.UTF_8), LocalDate.of(2026, 3, 4));

        assertThat(Provenance.of(file(new String(stamped, StandardCharsets.UTF_8))).lastVerified())
                .isEqualTo(LocalDate.of(2026, 3, 4));
    }
}
