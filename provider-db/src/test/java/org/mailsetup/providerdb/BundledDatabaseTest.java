package org.mailsetup.providerdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mailsetup.EmailAddress;
import org.mailsetup.Service;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.config.ServiceConfig;

/** The database that ships: every entry valid, every file packaged, loaded once. */
class BundledDatabaseTest {

    /** The module's source directory; surefire runs with the module as working directory. */
    private static final Path SOURCE = Path.of("providers");

    @Test
    void everyBundledEntryIsValid() {
        ValidationReport report = new ProviderValidator().validateBundled();

        assertThat(report.errors()).map(Diagnostic::toString).isEmpty();
    }

    @Test
    void theListingNamesExactlyTheFilesInTheSourceDirectory() throws IOException {
        List<String> sources;
        if (Files.isDirectory(SOURCE)) {
            try (Stream<Path> s = Files.list(SOURCE)) {
                sources = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml")).sorted().toList();
            }
        } else {
            sources = List.of();
        }
        assertThat(ProviderFile.bundledNames()).containsExactlyElementsOf(sources);
    }

    @Test
    void everyListedFileLoads() {
        ProviderDatabase db = ProviderDatabase.bundled();

        assertThat(db.size()).as("bundled entries").isPositive();
        assertThat(db.size()).isEqualTo(ProviderFile.bundledNames().size());
        for (ProviderFile f : ProviderFile.readBundled()) {
            assertThat(db.byId(f.stem())).as(f.name()).isPresent();
        }
    }

    @Test
    void providersThatDocumentContactsCalendarsAndJmapCarryTheirEndpoints() {
        ProviderDatabase db = ProviderDatabase.bundled();
        EmailAddress alice = EmailAddress.parse("alice@fastmail.com");

        ClientConfig fastmail = db.byDomain("fastmail.com").orElseThrow();
        assertThat(fastmail.services(Service.CONTACTS)).map(ServiceConfig::serverUrl)
                .containsExactly("https://carddav.fastmail.com/");
        assertThat(fastmail.services(Service.CALENDARS)).map(ServiceConfig::serverUrl)
                .containsExactly("https://caldav.fastmail.com/");
        assertThat(fastmail.services(Service.JMAP)).singleElement().satisfies(j -> {
            assertThat(j.serverUrl()).isEqualTo("https://api.fastmail.com/jmap/session");
            assertThat(j.authentication()).containsExactly("OAuth2");
        });

        ClientConfig google = db.byDomain("gmail.com").orElseThrow();
        assertThat(google.services(Service.CALENDARS)).singleElement()
                .satisfies(c -> assertThat(c.serverUrlFor(EmailAddress.parse("alice@gmail.com")))
                        .isEqualTo("https://apidata.googleusercontent.com/caldav/v2/alice@gmail.com/user"));
        assertThat(google.services(Service.CONTACTS)).map(ServiceConfig::authentication)
                .containsExactly(List.of("OAuth2"));
        assertThat(fastmail.services(Service.CONTACTS).get(0).usernameFor(alice)).isEqualTo("alice@fastmail.com");
    }

    @Test
    void customDomainsOnZohoGetTheOrganisationHostsAndZohoAddressesThePersonalOnes() {
        ProviderDatabase db = ProviderDatabase.bundled();

        ClientConfig hosted = db.byMxHost("mx.zoho.eu").orElseThrow();
        assertThat(hosted.incoming()).map(ServerConfig::hostname).containsExactly("imappro.zoho.eu", "poppro.zoho.eu");
        assertThat(hosted.outgoing()).map(ServerConfig::hostname).containsOnly("smtppro.zoho.eu");
        assertThat(db.byMxHost("mx2.zoho.com").orElseThrow().id()).isEqualTo("zoho.com-hosted");
        assertThat(db.byDomain("zoho.com").orElseThrow().incoming()).map(ServerConfig::hostname)
                .containsExactly("imap.zoho.com", "pop.zoho.com");
    }

    @Test
    void concurrentFirstUseLoadsOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<ProviderDatabase>> calls = java.util.Collections.nCopies(8, ProviderDatabase::bundled);
            List<Future<ProviderDatabase>> results = pool.invokeAll(calls);
            ProviderDatabase first = results.get(0).get();
            for (Future<ProviderDatabase> r : results) {
                assertThat(r.get()).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
