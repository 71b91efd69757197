package org.mailsetup.internal.source.mx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import org.mailsetup.SourceName;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.internal.RegistrableDomains;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.discovery.Source;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsException;
import org.mailsetup.internal.dns.MxRecord;
import org.mailsetup.internal.source.ConfigCandidates;
import org.mailsetup.internal.source.ConfigDocuments;
import org.mailsetup.internal.source.ConfigFetch;

/**
 * Domains hosted by a mail platform (Google, Microsoft, Zoho, ...) are recognised by their MX hosts:
 * first by the reviewed MX patterns of the provider database; then by the MX host's parent and
 * registrable domain ({@link RegistrableDomains}: the public-suffix list, with its default rule for TLDs it
 * does not know), looked up in the provider database, the ISPDB and that
 * domain's own autoconfig over https. Never above the registrable domain. A match by reviewed pattern,
 * or an MX answer validated by DNSSEC, is trusted; anything else inferred from MX is not.
 */
public final class MxSource implements Source {

    /** Derived domains looked up online; the first MX hosts say the most about who runs the mail. */
    private static final int MAX_ONLINE_DOMAINS = 2;

    @Override
    public SourceName name() {
        return SourceName.MX;
    }

    @Override
    public SourceOutcome discover(LookupContext ctx) throws Exception {
        DnsAnswer<MxRecord> mx;
        try {
            mx = ctx.mx();
        } catch (DnsException e) {
            return e.deadlinePassed() ? SourceOutcome.timedOut(e.getMessage()) : SourceOutcome.failed(e.getMessage());
        }
        if (mx.status() == DnsAnswer.Status.NXDOMAIN) {
            return SourceOutcome.empty("the domain does not exist");
        }
        List<String> hosts = mx.records().stream()
                .filter(r -> !r.isNullMx())
                .sorted(Comparator.comparingInt(MxRecord::preference))
                .map(MxRecord::host)
                .distinct()
                .toList();
        if (hosts.isEmpty()) {
            return SourceOutcome.empty(mx.isEmpty() ? "no MX records" : "null MX: the domain takes no mail");
        }
        for (String host : hosts) {
            Optional<ClientConfig> byPattern = ctx.providers().byMxHost(host);
            if (byPattern.isPresent()) {
                return found(ctx, byPattern.get(), true,
                        "MX " + host + " matches the reviewed patterns of '" + byPattern.get().id() + "'");
            }
        }
        boolean trusted = mx.authenticated();
        String how = trusted ? " (DNSSEC-validated MX)" : " (MX not DNSSEC-validated: untrusted)";
        List<String> domains = derivedDomains(hosts, ctx.domain());
        for (String domain : domains) {
            Optional<ClientConfig> entry = ctx.providers().byDomain(domain);
            if (entry.isPresent()) {
                return found(ctx, entry.get(), trusted,
                        "MX domain " + domain + " is in the provider database as '" + entry.get().id() + "'" + how);
            }
        }
        List<String> misses = new ArrayList<>();
        boolean dnsFailed = false;
        for (String domain : domains.subList(0, Math.min(MAX_ONLINE_DOMAINS, domains.size()))) {
            Future<ConfigFetch> ispdb = ctx.executor().submit(() -> ConfigDocuments.ispdb(ctx, domain));
            Future<ConfigFetch> autoconfig =
                    ctx.executor().submit(() -> ConfigDocuments.autoconfigOverHttps(ctx, domain));
            for (Future<ConfigFetch> f : List.of(ispdb, autoconfig)) {
                ConfigFetch fetch = f.get();
                if (fetch.found()) {
                    // Only https counts here: a plain-http answer about another domain proves nothing.
                    boolean secure = fetch.response().allHttps();
                    return found(ctx, fetch.config(), trusted && secure, "MX domain " + domain + ": "
                            + ConfigFetch.display(fetch.finalUrl()) + " answered" + how);
                }
                misses.add(fetch.summary());
                dnsFailed |= fetch.dnsFailed();
            }
        }
        String why = "no provider known for MX " + String.join(", ", hosts)
                + (misses.isEmpty() ? "" : " (" + String.join("; ", misses) + ")");
        // A question the resolver could not answer may have had the provider: that is no "empty".
        return dnsFailed ? SourceOutcome.failed("DNS failure; " + why) : SourceOutcome.empty(why);
    }

    private SourceOutcome found(LookupContext ctx, ClientConfig c, boolean trusted, String detail) {
        List<String> warnings = new ArrayList<>();
        // The platform's contacts, calendars and JMAP endpoints come with its mail servers.
        return SourceOutcome.of(ConfigCandidates.of(c, ctx.email(), name(), trusted, warnings),
                ConfigCandidates.services(c, ctx.email(), name(), trusted, warnings), trusted ? c : null, warnings, detail);
    }

    /**
     * For each MX host: its parent (the host minus its first label) and its registrable domain, in that
     * order, never a public suffix or anything above the registrable domain, and never the email domain
     * itself (the other sources already cover it).
     */
    static List<String> derivedDomains(List<String> mxHosts, String emailDomain) {
        Set<String> out = new LinkedHashSet<>();
        for (String host : mxHosts) {
            Optional<String> registrable = RegistrableDomains.of(host);
            if (registrable.isEmpty()) {
                continue;
            }
            List<String> candidates = new ArrayList<>();
            if (!host.equals(registrable.get())) {
                candidates.add(host.substring(host.indexOf('.') + 1));
            }
            candidates.add(registrable.get());
            for (String c : candidates) {
                if (!c.equals(emailDomain)) {
                    out.add(c);
                }
            }
        }
        return List.copyOf(out);
    }
}
