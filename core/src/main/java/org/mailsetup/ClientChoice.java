package org.mailsetup;

import java.util.ArrayList;
import java.util.List;

/**
 * Which settings of one direction of a lookup a mail client may be handed to use without asking: the
 * ranking's rule for client formats (README, "Trust and ranking"), public so that every format applies the
 * same one. It keeps the ranking's order, so the first setting chosen is the best.
 * <ul>
 *   <li>never plain text;</li>
 *   <li>the verified settings, when any of the direction was verified; otherwise the trusted ones.</li>
 * </ul>
 *
 * @param chosen  what a client may use, best first
 * @param leftOut every other setting of the direction, with why
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
            if (s.security() == Security.PLAIN) {
                leftOut.add(new LeftOut(s, "plain text"));
            } else {
                usable.add(s);
            }
        }
        boolean anyVerified = usable.stream().anyMatch(ServerSettings::verified);
        List<ServerSettings> chosen = new ArrayList<>();
        for (ServerSettings s : usable) {
            if (anyVerified ? s.verified() : s.trusted()) {
                chosen.add(s);
            } else {
                leftOut.add(new LeftOut(s, anyVerified ? "not verified, and another server was"
                        : "neither verified nor from a trusted source"));
            }
        }
        return new ClientChoice(chosen, leftOut);
    }
}
