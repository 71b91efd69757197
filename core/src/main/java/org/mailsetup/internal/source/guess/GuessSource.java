package org.mailsetup.internal.source.guess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.SourceName;
import org.mailsetup.internal.discovery.Candidate;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.discovery.Source;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsException;

/**
 * Well-known host names (imap., mail., pop., pop3., smtp., the bare domain) on the standard ports.
 * Only names that resolve are proposed, and they are untrusted: they become answers only once a probe
 * verified them.
 */
public final class GuessSource implements Source {

    private static final Map<Protocol, List<String>> PREFIXES = Map.of(
            Protocol.IMAP, List.of("imap.", "mail.", ""),
            Protocol.POP3, List.of("pop.", "pop3.", "mail.", ""),
            Protocol.SMTP, List.of("smtp.", "mail.", ""));

    @Override
    public SourceName name() {
        return SourceName.GUESS;
    }

    @Override
    public SourceOutcome discover(LookupContext ctx) throws Exception {
        String d = ctx.domain();
        Map<String, Future<String>> resolving = new LinkedHashMap<>();
        for (List<String> prefixes : PREFIXES.values()) {
            for (String p : prefixes) {
                resolving.computeIfAbsent(p + d, host -> ctx.executor().submit(() -> resolves(ctx, host)));
            }
        }
        List<Candidate> out = new ArrayList<>();
        List<String> found = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Protocol protocol : Protocol.values()) {
            for (String p : PREFIXES.get(protocol)) {
                String host = p + d;
                String failure = resolving.get(host).get();
                if (failure != null) {
                    if (!failure.isEmpty() && !failed.contains(failure)) {
                        failed.add(failure);
                    }
                    continue;
                }
                if (!found.contains(host)) {
                    found.add(host);
                }
                out.add(guess(ctx, protocol, host, protocol.tlsPort(), Security.TLS));
                out.add(guess(ctx, protocol, host, protocol.starttlsPort(), Security.STARTTLS));
            }
        }
        if (!out.isEmpty()) {
            return SourceOutcome.of(out, "host names that resolve: " + String.join(", ", found));
        }
        // A name the resolver could not answer for may well exist: that is no "empty".
        return failed.isEmpty() ? SourceOutcome.empty("none of the usual host names resolve")
                : SourceOutcome.failed("none of the usual host names resolve; " + String.join("; ", failed));
    }

    /** Null when the host has an address; "" when it has none; otherwise why the resolver gave no answer. */
    private static String resolves(LookupContext ctx, String host) {
        try {
            DnsAnswer<?> a = ctx.dns().addresses(host, ctx.deadline());
            ctx.noteTtl(a.ttlSeconds());
            return a.isEmpty() ? "" : null;
        } catch (DnsException e) {
            ctx.noteDnsFailure(e);
            return e.deadlinePassed() ? "" : e.getMessage();
        }
    }

    private static Candidate guess(LookupContext ctx, Protocol protocol, String host, int port, Security security) {
        return new Candidate(protocol, host, port, security, ctx.email().address(), List.of(), SourceName.GUESS, false);
    }
}
