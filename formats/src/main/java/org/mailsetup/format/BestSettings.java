package org.mailsetup.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.ProbeReport;
import org.mailsetup.ProbeReport.FailureKind;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.ServerSettings;

/**
 * The settings worth handing to a mail client that will use them without asking, per direction, in
 * core's ranking order (README, "Client formats"):
 * <ul>
 *   <li>never plain text, never a server whose addresses the network policy refused, never one whose
 *       probe failed conclusively (invalid certificate, another protocol, PREAUTH, STARTTLS missing or
 *       injected, ...);</li>
 *   <li>when a server of the direction was verified: the verified ones, plus the trusted servers on the
 *       same host that were not probed (so a document does not change with what the early stop left
 *       unprobed);</li>
 *   <li>otherwise the trusted ones, including those whose probe was inconclusive (a time-out, a
 *       firewalled port).</li>
 * </ul>
 *
 * @param excluded every server of the result that was left out, and why
 */
public record BestSettings(List<ServerSettings> incoming, List<ServerSettings> outgoing, List<Excluded> excluded) {

    /** A server a client is not given, and why. */
    public record Excluded(ServerSettings server, String reason) {
        @Override
        public String toString() {
            return server.protocol().jsonName() + " " + server.host() + ":" + server.port() + " ("
                    + server.security().jsonName() + "): " + reason;
        }
    }

    public BestSettings {
        incoming = List.copyOf(incoming);
        outgoing = List.copyOf(outgoing);
        excluded = List.copyOf(excluded);
    }

    public BestSettings(List<ServerSettings> incoming, List<ServerSettings> outgoing) {
        this(incoming, outgoing, List.of());
    }

    public static BestSettings of(DiscoveryResult result) {
        List<Excluded> excluded = new ArrayList<>();
        List<ServerSettings> in = pick(result.incoming(), excluded);
        List<ServerSettings> out = pick(result.outgoing(), excluded);
        return new BestSettings(in, out, excluded);
    }

    private static List<ServerSettings> pick(List<ServerSettings> ranked, List<Excluded> excluded) {
        List<ServerSettings> usable = new ArrayList<>();
        for (ServerSettings s : ranked) {
            String why = unusable(s);
            if (why == null) {
                usable.add(s);
            } else {
                excluded.add(new Excluded(s, why));
            }
        }
        Set<String> verifiedHosts = usable.stream().filter(ServerSettings::verified).map(ServerSettings::host)
                .collect(Collectors.toSet());
        List<ServerSettings> chosen = new ArrayList<>();
        for (ServerSettings s : usable) {
            String why;
            if (verifiedHosts.isEmpty()) {
                why = s.trusted() ? null : "neither verified nor from a trusted source";
            } else if (s.verified()) {
                why = null;
            } else if (s.probe() != null) {
                why = "verification was inconclusive (" + s.probe().failure() + ") and another server was verified";
            } else if (!s.trusted() || !verifiedHosts.contains(s.host())) {
                why = "not verified, and another server was";
            } else {
                why = null; // a trusted alternative on a verified host
            }
            if (why == null) {
                chosen.add(s);
            } else {
                excluded.add(new Excluded(s, why));
            }
        }
        return chosen;
    }

    /** Why no client may use this server whatever else was found, or null. */
    private static String unusable(ServerSettings s) {
        if (s.security() == Security.PLAIN) {
            return "plain text";
        }
        ProbeReport p = s.probe();
        if (p == null || p.ok()) {
            return null;
        }
        // A failure that does not say what kind it is counts as proof against the setting.
        FailureKind kind = p.failureKind() == null ? FailureKind.CONCLUSIVE : p.failureKind();
        return switch (kind) {
            case REFUSED -> "refused by the network policy (" + p.failure() + ")";
            case CONCLUSIVE -> "failed verification (" + p.failure() + ")";
            case INCONCLUSIVE -> null;
        };
    }

    public boolean isEmpty() {
        return incoming.isEmpty() && outgoing.isEmpty();
    }

    /** Both directions have a server: the only kind of document a client accepts. */
    public boolean isComplete() {
        return !incoming.isEmpty() && !outgoing.isEmpty();
    }

    /**
     * Why the document would be incomplete: which direction has no server a client may use, and what was
     * left out there; empty when {@link #isComplete()}.
     */
    public Optional<String> missing() {
        List<String> parts = new ArrayList<>();
        if (incoming.isEmpty()) {
            parts.add(gap("incoming (IMAP or POP3)", true));
        }
        if (outgoing.isEmpty()) {
            parts.add(gap("outgoing (SMTP)", false));
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
    }

    private String gap(String direction, boolean isIncoming) {
        List<String> left = excluded.stream().filter(e -> e.server().protocol().isIncoming() == isIncoming)
                .map(Excluded::toString).toList();
        return left.isEmpty() ? "no " + direction + " server was found"
                : "no " + direction + " server a client may use: " + String.join(", ", left);
    }

    /** The best server of this protocol. */
    public Optional<ServerSettings> best(Protocol protocol) {
        List<ServerSettings> list = protocol == Protocol.SMTP ? outgoing : incoming;
        return list.stream().filter(s -> s.protocol() == protocol).findFirst();
    }
}
