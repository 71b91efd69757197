package org.mailsetup.internal.source.providerdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mailsetup.SourceName;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.discovery.Source;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.source.ConfigCandidates;

/** The curated provider database, by email domain. Offline and instant; its entries are reviewed, so trusted. */
public final class ProviderDbSource implements Source {

    @Override
    public SourceName name() {
        return SourceName.PROVIDER_DB;
    }

    @Override
    public SourceOutcome discover(LookupContext ctx) {
        Optional<ClientConfig> entry = ctx.providers().byDomain(ctx.domain());
        if (entry.isEmpty()) {
            return SourceOutcome.empty("no entry for " + ctx.domain());
        }
        ClientConfig c = entry.get();
        List<String> warnings = new ArrayList<>();
        return SourceOutcome.of(ConfigCandidates.of(c, ctx.email(), name(), true, warnings),
                ConfigCandidates.services(c, ctx.email(), name(), true, warnings), c, warnings, "entry '" + c.id() + "'");
    }
}
