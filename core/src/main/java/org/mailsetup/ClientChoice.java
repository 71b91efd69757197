package org.mailsetup;

import java.util.List;
import java.util.Optional;

/**
 * Which of a lookup's settings a mail client may be handed to use without asking: the ranking's rule for
 * client formats (README, "Trust and ranking"), public so that every format applies the same one. It keeps
 * the ranking's order, so the first setting chosen is the best.
 * <ul>
 *   <li>never plain text;</li>
 *   <li>the verified settings, when any of the direction was verified; otherwise the trusted ones.</li>
 * </ul>
 */
public final class ClientChoice {

    private ClientChoice() {
    }

    /** The settings of one direction ({@link DiscoveryResult#incoming()} or {@code outgoing()}) a client may use, in order. */
    public static List<ServerSettings> choose(List<ServerSettings> direction) {
        return direction.stream().filter(s -> leftOut(s, direction).isEmpty()).toList();
    }

    /** Why a client is not handed this setting of its direction, or empty when it is. */
    public static Optional<String> leftOut(ServerSettings setting, List<ServerSettings> direction) {
        if (setting.security() == Security.PLAIN) {
            return Optional.of("plain text");
        }
        boolean anyVerified = direction.stream().anyMatch(s -> s.security() != Security.PLAIN && s.verified());
        if (anyVerified) {
            return setting.verified() ? Optional.empty() : Optional.of("not verified, and another server was");
        }
        return setting.trusted() ? Optional.empty() : Optional.of("neither verified nor from a trusted source");
    }
}
