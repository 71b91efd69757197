package org.mailsetup.internal.source.autoconfig;

import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import org.mailsetup.internal.source.Preferred;

/**
 * The domain's own autoconfig document (Mozilla config-v1.1), fetched from four URLs at once:
 * <ol>
 *   <li>{@code https://autoconfig.<domain>/mail/config-v1.1.xml?emailaddress=<address>}</li>
 *   <li>{@code https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml}</li>
 *   <li>the first over plain http</li>
 *   <li>the second over plain http</li>
 * </ol>
 * A URL counts only once its body parses as a config, so an HTML page at one URL cannot hide a real
 * config at another; among those, the order above decides. Only a document reached over https on every
 * hop, without leaving the email domain, is trusted; anything else is offered as an untrusted hint.
 */
public final class AutoconfigSource implements Source {

    @Override
    public SourceName name() {
        return SourceName.AUTOCONFIG;
    }

    @Override
    public SourceOutcome discover(LookupContext ctx) throws Exception {
        String domain = ctx.domain();
        String autoconfigQuery = ConfigDocuments.AUTOCONFIG_PATH + "?emailaddress=" + percentEncode(ctx.email().address());
        List<URI> urls = List.of(
                ctx.settings().https("autoconfig." + domain, autoconfigQuery),
                ctx.settings().https(domain, ConfigDocuments.WELL_KNOWN_PATH),
                // Thunderbird sends the address over http too; servers that build per-user configs need it.
                ctx.settings().http("autoconfig." + domain, autoconfigQuery),
                ctx.settings().http(domain, ConfigDocuments.WELL_KNOWN_PATH));
        Preferred.Outcome<ConfigFetch> outcome = ConfigDocuments.fetchAll(ctx, urls);
        ConfigFetch best = outcome.best();
        if (best == null) {
            return ConfigDocuments.nothingFound(outcome, "no config: " + ConfigDocuments.summaries(outcome, urls, 0, urls.size()));
        }
        String untrusted = best.whyNotSecureWithin(domain);
        boolean trusted = untrusted == null;
        List<String> warnings = new ArrayList<>(best.warnings());
        List<Candidate> candidates = ConfigCandidates.of(best.config(), ctx.email(), SourceName.AUTOCONFIG, trusted,
                warnings);
        StringBuilder detail = new StringBuilder(ConfigFetch.display(best.finalUrl())).append(" answered");
        if (best.response().hops().size() > 1) {
            detail.append(" (redirected from ").append(ConfigFetch.display(best.url())).append(')');
        }
        detail.append(trusted ? "; trusted (https on " + domain + ")" : "; untrusted: " + untrusted);
        if (outcome.chosen() > 0) {
            detail.append("; before it: ").append(ConfigDocuments.summaries(outcome, urls, 0, outcome.chosen()));
        }
        return SourceOutcome.of(candidates,
                ConfigCandidates.services(best.config(), ctx.email(), SourceName.AUTOCONFIG, trusted, warnings),
                trusted ? best.config() : null, warnings, detail.toString());
    }

    /** RFC 3986 percent-encoding of everything but unreserved characters (UTF-8), as encodeURIComponent does. */
    static String percentEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
