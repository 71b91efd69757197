package org.mailsetup.providerdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ServerConfig;

class ProviderDatabaseTest {

    private static ProviderDatabase db;

    @BeforeAll
    static void load() throws ProviderDatabaseException {
        db = ProviderDatabase.load(Fixtures.dir("valid"));
    }

    private static String idOf(java.util.Optional<ClientConfig> c) {
        return c.map(ClientConfig::id).orElse(null);
    }

    @Test
    void countsEntriesAndDomains() {
        assertThat(db.size()).isEqualTo(5);
        assertThat(db.domainCount()).isEqualTo(6);
        assertThat(db.mxPatternCount()).isEqualTo(5);
        assertThat(db.entries()).map(ClientConfig::id).containsExactly("alpha", "beta", "bridged", "gamma-hosted", "legacy");
    }

    @Test
    void anEntryWithoutClientAccessHasNoServersButItsBridge() {
        ClientConfig c = db.byDomain("bridged.example").orElseThrow();

        assertThat(c.incoming()).isEmpty();
        assertThat(c.noClientAccess().url()).isEqualTo("https://help.bridged.example/bridge");
        assertThat(c.noClientAccess().bridge()).extracting(b -> b.host() + ":" + b.port())
                .containsExactly("127.0.0.1:1143", "127.0.0.1:1025");
    }

    @Test
    void findsAnEntryByAnyOfItsDomains() {
        assertThat(idOf(db.byDomain("alpha.example"))).isEqualTo("alpha");
        assertThat(idOf(db.byDomain("alpha-mail.example"))).isEqualTo("alpha");
        assertThat(idOf(db.byDomain("xn--bcher-kva.example"))).isEqualTo("beta");
        assertThat(idOf(db.byDomain("legacy.example"))).isEqualTo("legacy");
    }

    @Test
    void domainLookupIsExactAndNeverWalksUp() {
        assertThat(db.byDomain("mail.alpha.example")).isEmpty();
        assertThat(db.byDomain("example")).isEmpty();
        assertThat(db.byDomain("gamma.example")).isEmpty();
        assertThat(db.byDomain("")).isEmpty();
        assertThat(db.byDomain(null)).isEmpty();
    }

    @Test
    void domainLookupToleratesCaseAndATrailingDot() {
        assertThat(idOf(db.byDomain("Alpha.Example."))).isEqualTo("alpha");
    }

    @Test
    void mxHostMatchesExactPatterns() {
        assertThat(db.matchMx("inbound.alpha.example")).get()
                .satisfies(m -> assertThat(m.pattern()).isEqualTo("inbound.alpha.example"))
                .satisfies(m -> assertThat(m.entry().id()).isEqualTo("alpha"));
        assertThat(idOf(db.byMxHost("mx.beta.example"))).isEqualTo("beta");
        assertThat(db.byMxHost("other.beta.example")).isEmpty();
    }

    @Test
    void aPlatformWithoutEmailDomainsIsFoundByMxOnly() {
        assertThat(idOf(db.byMxHost("eu1.mx.gamma-hosted.example"))).isEqualTo("gamma-hosted");
        assertThat(db.byDomain("gamma-hosted.example")).isEmpty();
    }

    @Test
    void mxHostMatchesSuffixPatternsAtAnyDepthButNotTheSuffixItself() {
        assertThat(db.matchMx("mx1.mx.alpha.example")).get()
                .satisfies(m -> assertThat(m.pattern()).isEqualTo("*.mx.alpha.example"));
        assertThat(idOf(db.byMxHost("a.b.c.beta-hosting.example"))).isEqualTo("beta");
        assertThat(db.byMxHost("mx.alpha.example")).isEmpty();
        assertThat(db.byMxHost("beta-hosting.example")).isEmpty();
        assertThat(db.byMxHost("mx1.mx.alpha.example.evil.example")).isEmpty();
        assertThat(db.byMxHost("evilmx.alpha.example")).isEmpty();
        assertThat(idOf(db.byMxHost("MX1.MX.Alpha.Example."))).isEqualTo("alpha");
        assertThat(db.byMxHost(null)).isEmpty();
    }

    @Test
    void theMostSpecificSuffixPatternWins() {
        ProviderDatabase nested = ProviderDatabase.of(List.of(
                entry("platform", "platform.example", "*.platform.example"),
                entry("eu-reseller", "reseller.example", "*.eu.platform.example", "mx.us.platform.example")));

        assertThat(idOf(nested.byMxHost("mx1.eu.platform.example"))).isEqualTo("eu-reseller");
        assertThat(idOf(nested.byMxHost("mx.us.platform.example"))).isEqualTo("eu-reseller");
        assertThat(idOf(nested.byMxHost("mx1.us.platform.example"))).isEqualTo("platform");
    }

    @Test
    void keepsTheEntryAsParsed() {
        ClientConfig alpha = db.byId("alpha").orElseThrow();

        assertThat(alpha.name()).isEqualTo("Alpha Mail");
        assertThat(alpha.incoming()).first().isEqualTo(new ServerConfig(Protocol.IMAP, "imap.alpha.example", 993,
                Security.TLS, "%EMAILADDRESS%", List.of("OAuth2", "password-cleartext")));
        assertThat(alpha.outgoing()).hasSize(2);
        assertThat(alpha.mxHosts()).containsExactly("*.mx.alpha.example", "inbound.alpha.example");
        assertThat(alpha.notes()).singleElement().satisfies(n -> assertThat(n.type()).isEqualTo("app-password"));
        assertThat(alpha.oauth2Config()).get().satisfies(o -> assertThat(o.issuer()).isEqualTo("login.alpha.example"));
        assertThat(db.byId("legacy").orElseThrow().mxHosts()).isEmpty();
    }

    @Test
    void anOverlayWinsByIdAndByDomainAndKeepsTheRest() {
        ClientConfig mine = entry("alpha", "alpha.example", "*.mx.mine.example");
        ClientConfig takeover = entry("takeover", "beta.example", "mx.beta.example");
        ProviderDatabase merged = ProviderDatabase.overlay(ProviderDatabase.of(List.of(mine, takeover)), db);

        assertThat(merged.byDomain("alpha.example")).containsSame(mine);
        // The bundled alpha entry is replaced as a whole, so its other domain is gone too.
        assertThat(merged.byDomain("alpha-mail.example")).isEmpty();
        assertThat(merged.byMxHost("mx1.mx.alpha.example")).isEmpty();
        assertThat(merged.byDomain("beta.example")).containsSame(takeover);
        assertThat(merged.byMxHost("mx.beta.example")).containsSame(takeover);
        assertThat(idOf(merged.byDomain("xn--bcher-kva.example"))).isEqualTo("beta");
        assertThat(idOf(merged.byMxHost("x.beta-hosting.example"))).isEqualTo("beta");
        assertThat(idOf(merged.byDomain("legacy.example"))).isEqualTo("legacy");
        assertThat(merged.entries()).map(ClientConfig::id)
                .containsExactly("alpha", "beta", "bridged", "gamma-hosted", "legacy", "takeover");
    }

    @Test
    void conflictingEntriesAreRefused() {
        assertThatThrownBy(() -> ProviderDatabase.of(List.of(
                entry("one", "shared.example", "mx.one.example"), entry("two", "shared.example", "mx.two.example"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("domain 'shared.example' of two is already claimed by one");
    }

    @Test
    void loadingAnInvalidDirectoryListsEveryErrorWithFileAndLine(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.dir("invalid").resolve("port-range.xml"), dir.resolve("port-range.xml"));
        Files.copy(Fixtures.dir("invalid").resolve("no-outgoing.xml"), dir.resolve("no-outgoing.xml"));
        Files.copy(Fixtures.dir("valid").resolve("beta.xml"), dir.resolve("beta.xml"));

        assertThatThrownBy(() -> ProviderDatabase.load(dir))
                .isInstanceOfSatisfying(ProviderDatabaseException.class, e -> assertThat(e.problems()).containsExactly(
                        dir.resolve("no-outgoing.xml") + ":3: error: no <outgoingServer>: an entry needs at least one SMTP server",
                        dir.resolve("port-range.xml") + ":9: error: port 70000 is out of range (1-65535)"))
                .hasMessageStartingWith("provider directory " + dir + " has 2 error(s):");
    }

    @Test
    void loadingAMissingDirectoryFailsClearly(@TempDir Path dir) {
        assertThatThrownBy(() -> ProviderDatabase.load(dir.resolve("missing")))
                .isInstanceOf(ProviderDatabaseException.class)
                .hasMessageContaining("cannot read provider directory").hasMessageContaining("not a directory");
    }

    @Test
    void anEmptyDirectoryIsAnEmptyDatabase(@TempDir Path dir) throws ProviderDatabaseException {
        ProviderDatabase empty = ProviderDatabase.load(dir);

        assertThat(empty.size()).isZero();
        assertThat(empty.byDomain("alpha.example")).isEmpty();
        assertThat(empty.byMxHost("mx1.mx.alpha.example")).isEmpty();
    }

    static ClientConfig entry(String id, String domain, String... mx) {
        ServerConfig imap = new ServerConfig(Protocol.IMAP, "imap." + domain, 993, Security.TLS, "%EMAILADDRESS%",
                List.of("password-cleartext"));
        ServerConfig smtp = new ServerConfig(Protocol.SMTP, "smtp." + domain, 465, Security.TLS, "%EMAILADDRESS%",
                List.of("password-cleartext"));
        return new ClientConfig(id, List.of(domain), id, null, List.of(imap), List.of(smtp), List.of(), List.of(mx),
                List.of(), null, null);
    }
}
