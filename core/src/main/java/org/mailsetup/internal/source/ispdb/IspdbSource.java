package org.mailsetup.internal.source.ispdb;

import java.util.ArrayList;
import java.util.List;
import org.mailsetup.SourceName;
import org.mailsetup.internal.discovery.Candidate;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.discovery.Source;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.source.ConfigCandidates;
import org.mailsetup.internal.source.ConfigDocuments;
import org.mailsetup.internal.source.ConfigFetch;

/**
 * Thunderbird's online ISP database: {@code GET <ispdbUrl><domain>}. The database is curated, so a
 * document fetched over https on every hop is trusted; over http (a lab or mirror setting) it is not.
 */
public final class IspdbSource implements Source {

    @Override
    public SourceName name() {
        return SourceName.ISPDB;
    }

    @Override
    public SourceOutcome discover(LookupContext ctx) throws Exception {
        ConfigFetch f = ConfigDocuments.ispdb(ctx, ctx.domain());
        if (!f.found()) {
            if (f.timedOut()) {
                return SourceOutcome.timedOut("timed out: " + f.summary());
            }
            if (f.dnsFailed()) {
                return SourceOutcome.failed("DNS failure: " + f.summary());
            }
            return SourceOutcome.empty(f.response() != null && f.response().status() == 404
                    ? "no ISPDB entry for " + ctx.domain() + " (" + ConfigFetch.display(f.url()) + ": HTTP 404)"
                    : f.summary());
        }
        boolean trusted = isTrusted(f);
        List<String> warnings = new ArrayList<>(f.warnings());
        List<Candidate> candidates = ConfigCandidates.of(f.config(), ctx.email(), SourceName.ISPDB, trusted, warnings);
        String detail = ConfigFetch.display(f.finalUrl()) + " answered"
                + (trusted ? "" : "; untrusted: not https on every hop");
        return SourceOutcome.of(candidates, ConfigCandidates.services(f.config(), ctx.email(), SourceName.ISPDB, trusted, warnings),
                trusted ? f.config() : null, warnings, detail);
    }

    /** Whether a fetched entry came from the database over https all the way. */
    public static boolean isTrusted(ConfigFetch f) {
        return f.found() && f.response().allHttps();
    }
}
