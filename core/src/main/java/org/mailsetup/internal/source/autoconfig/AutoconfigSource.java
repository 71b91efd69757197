package org.mailsetup.internal.source.autoconfig;

import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailsetup.SourceName;
import org.mailsetup.internal.discovery.Candidate;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.discovery.Source;
import org.mailsetup.internal.discovery.SourceResult;
import org.mailsetup.internal.source.ConfigCandidates;
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

    static final String AUTOCONFIG_PATH = "/mail/config-v1.1.xml";
    static final String WELL_KNOWN_PATH = "/.well-known/autoconfig/mail/config-v1.1.xml";

    /** How long a config already found waits for a more preferred URL that is still loading. */
    static final Duration GRACE = Duration.ofMillis(1500);

    @Override
    public SourceName name() {
        return SourceName.AUTOCONFIG;
    }

    @Override
    public SourceResult discover(LookupContext ctx) throws Exception {
        String domain = ctx.domain();
        String autoconfigQuery = AUTOCONFIG_PATH + "?emailaddress=" + percentEncode(ctx.email().address());
        List<URI> urls = List.of(
                ctx.settings().https("autoconfig." + domain, autoconfigQuery),
                ctx.settings().https(domain, WELL_KNOWN_PATH),
                // Thunderbird sends the address over http too; servers that build per-user configs need it.
                ctx.settings().http("autoconfig." + domain, autoconfigQuery),
                ctx.settings().http(domain, WELL_KNOWN_PATH));
        Preferred.Outcome<ConfigFetch> outcome = fetchAll(ctx, urls);
        ConfigFetch best = outcome.best();
        if (best == null) {
            String why = "no config: " + summaries(outcome, urls, 0, urls.size());
            if (outcome.pending() > 0) {
                throw new InterruptedIOException("timed out; " + why);
            }
            return SourceResult.empty(why);
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
            detail.append("; before it: ").append(summaries(outcome, urls, 0, outcome.chosen()));
        }
        return new SourceResult(candidates, trusted ? best.config() : null, warnings, detail.toString());
    }

    /**
     * The autoconfig document of another domain over https only (for the MX source): {@code
     * https://autoconfig.<domain>/mail/config-v1.1.xml} and {@code https://<domain>/.well-known/...}, the
     * first preferred. The email address is not sent: the domain is not the user's. Whether the result may
     * be trusted is the caller's decision ({@link ConfigFetch#secureWithin(String)} helps).
     *
     * @return the preferred usable fetch, or the first URL's failed fetch (with its problem) when none is usable
     */
    public static ConfigFetch fetchHttps(LookupContext ctx, String domain) throws InterruptedException {
        List<URI> urls = List.of(
                ctx.settings().https("autoconfig." + domain, AUTOCONFIG_PATH),
                ctx.settings().https(domain, WELL_KNOWN_PATH));
        Preferred.Outcome<ConfigFetch> outcome = fetchAll(ctx, urls);
        if (outcome.best() != null) {
            return outcome.best();
        }
        // Report as the first URL's failure, with the second's appended, so summary() reads naturally.
        ConfigFetch first = outcome.results().getFirst();
        String problem = (first == null ? "no answer in time" : first.problem()) + "; also "
                + summaries(outcome, urls, 1, urls.size());
        return new ConfigFetch(urls.getFirst(), first == null ? null : first.response(), null, List.of(), problem,
                outcome.pending() > 0);
    }

    private static Preferred.Outcome<ConfigFetch> fetchAll(LookupContext ctx, List<URI> urls)
            throws InterruptedException {
        List<Callable<ConfigFetch>> tasks = new ArrayList<>();
        for (URI u : urls) {
            tasks.add(() -> ConfigFetch.get(ctx, u));
        }
        return Preferred.run(tasks, ConfigFetch::found, ctx.deadline(), GRACE);
    }

    /** "url: problem" for the alternatives from (inclusive) to (exclusive). */
    private static String summaries(Preferred.Outcome<ConfigFetch> outcome, List<URI> urls, int from, int to) {
        List<String> parts = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ConfigFetch f = outcome.results().get(i);
            parts.add(f == null ? ConfigFetch.display(urls.get(i)) + ": no answer in time" : f.summary());
        }
        return String.join("; ", parts);
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
