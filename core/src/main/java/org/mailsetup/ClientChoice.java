package org.mailsetup;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.mailsetup.ProbeReport.FailureKind;

/**
 * Which settings of one direction of a lookup a mail client may be handed to use without asking: the
 * ranking's rule for client formats (README, "Trust and ranking" and "Client formats"), public so that every
 * format applies the same one. It keeps the ranking's order, so the first setting chosen is the best.
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
 * @param chosen  what a client may use, best first
 * @param leftOut every other setting of the direction, with why: first those no client may ever use, then
 *                those another setting beat
 */
public record ClientChoice(List<ServerSettings> chosen, List<LeftOut> leftOut) {

    /** A setting a client is not handed, and why. */
    public record LeftOut(ServerSettings setting, String reason) {
    }

    public ClientChoice {
        chosen = List.copyOf(chosen);
        leftOut = List.copyOf(leftOut);
    }

    /** The choice among one direction ({@link DiscoveryResult#incoming()} or {@code outgoing()}), best first. */
    public static ClientChoice of(List<ServerSettings> direction) {
        List<LeftOut> leftOut = new ArrayList<>();
        List<ServerSettings> usable = new ArrayList<>();
        for (ServerSettings s : direction) {
            String why = unusable(s);
            if (why == null) {
                usable.add(s);
            } else {
                leftOut.add(new LeftOut(s, why));
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
                leftOut.add(new LeftOut(s, why));
            }
        }
        return new ClientChoice(chosen, leftOut);
    }

    /** Why no client may use this setting whatever else was found, or null. */
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
}
