package org.mailsetup.providerdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.InvalidConfigException;

/**
 * The index the build writes holds exactly what the XML entries parse to. Records compare every
 * component, so a component the index lost (a new one Jackson could not bind, say) fails here.
 */
class BundledIndexTest {

    @Test
    void theIndexGivesEveryBundledEntryAsItsXmlParsesTo() throws InvalidConfigException {
        List<ClientConfig> xml = BundledIndex.parseBundledXml();

        assertThat(xml).hasSameSizeAs(ProviderFile.bundledNames());
        assertThat(BundledIndex.read()).containsExactlyElementsOf(xml);
    }

    @Test
    void theBundledDatabaseIsTheIndexInListingOrder() throws InvalidConfigException {
        ProviderDatabase db = ProviderDatabase.bundled();

        for (ClientConfig c : BundledIndex.parseBundledXml()) {
            assertThat(db.byId(c.id())).as(c.id()).contains(c);
        }
    }

    @Test
    void everyComponentOfTheFixturesSurvivesTheRoundTrip() throws Exception {
        // The fixtures use what the bundled entries may not: a bridge (no client access), OAuth2, notes, dates,
        // contacts, calendars and JMAP.
        List<ClientConfig> entries = new ArrayList<>();
        for (ProviderFile f : Fixtures.files("valid")) {
            entries.add(ProviderDatabase.parse(f));
        }
        assertThat(entries).anyMatch(c -> c.noClientAccess() != null && !c.noClientAccess().bridge().isEmpty())
                .anyMatch(c -> c.oauth2() != null && c.lastVerified() != null && !c.notes().isEmpty())
                .anyMatch(c -> !c.services().isEmpty());

        assertThat(BundledIndex.decode(BundledIndex.encode(entries))).containsExactlyElementsOf(entries);
    }
}
