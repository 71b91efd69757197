package org.mailsetup.internal.source;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.mailsetup.config.HostNames;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.discovery.SourceOutcome;

/**
 * Where config-v1.1 documents are fetched from, for the sources that read them: a domain's autoconfig URLs
 * and its ISPDB entry. The autoconfig and ISPDB sources ask about the email domain; the MX source asks the
 * same questions about the domains of the MX hosts.
 */
public final class ConfigDocuments {

    public static final String AUTOCONFIG_PATH = "/mail/config-v1.1.xml";
    public static final String WELL_KNOWN_PATH = "/.well-known/autoconfig/mail/config-v1.1.xml";

    /** How long a config already found waits for a more preferred URL that is still loading. */
    public static final Duration GRACE = Duration.ofMillis(1500);

    private ConfigDocuments() {
    }

    /**
     * The ISPDB entry for a domain. Never throws for network trouble: a failed fetch carries its problem; a
     * 404 means no entry.
     */
    public static ConfigFetch ispdb(LookupContext ctx, String domain) {
        if (!HostNames.isValid(domain)) {
            throw new IllegalArgumentException("'" + domain + "' is not a valid domain name");
        }
        return ConfigFetch.get(ctx, ispdbUrl(ctx.settings().ispdbUrl(), domain));
    }

    public static URI ispdbUrl(URI base, String domain) {
        String b = base.toString();
        // The base is documented to end with '/', but be forgiving about a missing one.
        return URI.create(b.endsWith("/") ? b + domain : b + "/" + domain);
    }

    /**
     * The autoconfig document of a domain over https only: {@code https://autoconfig.<domain>/mail/config-v1.1.xml}
     * and {@code https://<domain>/.well-known/...}, the first preferred. The email address is not sent: the
     * domain need not be the user's. Whether the result may be trusted is the caller's decision
     * ({@link ConfigFetch#secureWithin(String)} helps).
     *
     * @return the preferred usable fetch, or the first URL's failed fetch (with its problem) when none is usable
     */
    public static ConfigFetch autoconfigOverHttps(LookupContext ctx, String domain) throws InterruptedException {
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
                outcome.pending() > 0, outcome.results().stream().anyMatch(f -> f != null && f.dnsFailed()));
    }

    /** Fetches every URL at once; the first (in list order) that parses as a config is preferred. */
    public static Preferred.Outcome<ConfigFetch> fetchAll(LookupContext ctx, List<URI> urls)
            throws InterruptedException {
        List<Callable<ConfigFetch>> tasks = new ArrayList<>();
        for (URI u : urls) {
            tasks.add(() -> ConfigFetch.get(ctx, u));
        }
        return Preferred.run(ctx.executor(), tasks, ConfigFetch::found, ctx.deadline(), GRACE);
    }

    /**
     * How a search of several URLs that found nothing ended: timed out when one ran out of time (it may have had
     * the answer), failed when the resolver could not answer for one (it was never asked), else empty.
     */
    public static SourceOutcome nothingFound(Preferred.Outcome<ConfigFetch> outcome, String why) {
        return nothingFound(outcome, ConfigFetch::timedOut, ConfigFetch::dnsFailed, why);
    }

    /** {@link #nothingFound(Preferred.Outcome, String)} for any kind of attempt. */
    public static <T> SourceOutcome nothingFound(Preferred.Outcome<T> outcome, Predicate<T> timedOut,
                                                 Predicate<T> dnsFailed, String why) {
        if (outcome.pending() > 0 || outcome.results().stream().anyMatch(x -> x != null && timedOut.test(x))) {
            return SourceOutcome.timedOut("timed out; " + why);
        }
        if (outcome.results().stream().anyMatch(x -> x != null && dnsFailed.test(x))) {
            return SourceOutcome.failed("DNS failure; " + why);
        }
        return SourceOutcome.empty(why);
    }

    /** "url: problem" for the alternatives from (inclusive) to (exclusive). */
    public static String summaries(Preferred.Outcome<ConfigFetch> outcome, List<URI> urls, int from, int to) {
        List<String> parts = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ConfigFetch f = outcome.results().get(i);
            parts.add(f == null ? ConfigFetch.display(urls.get(i)) + ": no answer in time" : f.summary());
        }
        return String.join("; ", parts);
    }
}
