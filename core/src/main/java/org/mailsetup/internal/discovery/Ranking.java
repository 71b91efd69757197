package org.mailsetup.internal.discovery;

import java.util.Comparator;
import org.mailsetup.Protocol;

/**
 * The documented order of answers, best first (README, "Trust and ranking"):
 * <ol>
 *   <li>verified before unverified, and unverified before failed verification;</li>
 *   <li>trusted before untrusted;</li>
 *   <li>implicit TLS before STARTTLS before plain;</li>
 *   <li>IMAP before POP3;</li>
 *   <li>standard ports before others (for SMTP: 465 and 587 before 25);</li>
 *   <li>more independent sources before fewer;</li>
 *   <li>the most authoritative source first, then the order in which sources listed them.</li>
 * </ol>
 */
final class Ranking {

    private Ranking() {
    }

    static final Comparator<Merged> ORDER = comparator(false);

    /**
     * The same order, but counting a setting whose probe is still queued or running as verified: if the
     * best setting under this order is already verified, nothing still pending can beat it.
     */
    static final Comparator<Merged> OPTIMISTIC = comparator(true);

    private static Comparator<Merged> comparator(boolean optimistic) {
        return Comparator.<Merged>comparingInt(m -> verification(m, optimistic))
                .thenComparing(m -> !m.trusted())
                .thenComparing(m -> m.endpoint.security())
                .thenComparing(m -> m.endpoint.protocol())
                .thenComparingInt(Ranking::portRank)
                .thenComparing(m -> -m.sources.size())
                .thenComparing(m -> m.primary().source())
                .thenComparingInt(m -> m.arrival);
    }

    private static int verification(Merged m, boolean optimistic) {
        if (m.verified()) {
            return 0;
        }
        if (optimistic && (m.probeState == Merged.ProbeState.QUEUED || m.probeState == Merged.ProbeState.RUNNING)) {
            return 0;
        }
        return m.failed() ? 2 : 1;
    }

    private static int portRank(Merged m) {
        Protocol p = m.endpoint.protocol();
        int port = m.endpoint.port();
        if (port == p.tlsPort() || port == p.starttlsPort()) {
            return 0;
        }
        return p == Protocol.SMTP && port == 25 ? 2 : 1;
    }
}
