package org.mailsetup.internal.discovery;

import java.util.Comparator;
import java.util.List;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.SourceName;

/**
 * The documented order of answers, best first (README, "Trust and ranking"):
 * <ol>
 *   <li>verified before unverified, and unverified before failed verification;</li>
 *   <li>trusted before untrusted;</li>
 *   <li>implicit TLS before STARTTLS before plain;</li>
 *   <li>IMAP before POP3;</li>
 *   <li>standard ports before others (for SMTP: 465 and 587 before 25);</li>
 *   <li>more independent sources before fewer;</li>
 *   <li>the most authoritative source first ({@link #AUTHORITY}), then the order in which sources listed them.</li>
 * </ol>
 * Contacts, calendars and JMAP endpoints follow the same rules where they apply (verification, trust, sources
 * agreeing, authority, arrival): {@link #SERVICE_ORDER}.
 * Every ordering of the lookup lives here: the order of answers, which proposal of a setting speaks for it,
 * which source names the provider, and which settings are shown at all. None depends on the order in which
 * an enum happens to be declared. Which of the ordered answers a client format may hand over is the one rule
 * outside, in the public {@link org.mailsetup.ClientChoice}, because the formats module applies it to a result;
 * it only filters and keeps this order.
 */
final class Ranking {

    private Ranking() {
    }

    /** Sources, most authoritative first: curated and domain-published data before inference and guesses. */
    static final List<SourceName> AUTHORITY = List.of(SourceName.PROVIDER_DB, SourceName.PACC, SourceName.AUTOCONFIG,
            SourceName.ISPDB, SourceName.SRV, SourceName.MX, SourceName.AUTODISCOVER, SourceName.GUESS,
            SourceName.CALDAV, SourceName.CARDDAV, SourceName.JMAP);

    /** Implicit TLS, then STARTTLS (one plain round trip an attacker can tamper with), then none. */
    static final List<Security> SECURITY = List.of(Security.TLS, Security.STARTTLS, Security.PLAIN);

    /** IMAP before POP3 (folders and flags stay on the server); SMTP is the other direction. */
    static final List<Protocol> PROTOCOLS = List.of(Protocol.IMAP, Protocol.POP3, Protocol.SMTP);

    static final Comparator<SourceName> BY_AUTHORITY = Comparator.comparingInt(AUTHORITY::indexOf);

    /** Which proposal speaks for a setting (its username and auth): a trusted one, then the most authoritative. */
    static final Comparator<Candidate> PRIMARY = Comparator.<Candidate, Boolean>comparing(c -> !c.trusted())
            .thenComparing(Candidate::source, BY_AUTHORITY);

    /** Whether a setting is part of the answer: one only guessed is shown once a probe verified it. */
    static boolean shown(Merged m, boolean verifying) {
        return !verifying || !m.guessOnly() || m.verified();
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
                .thenComparingInt(m -> SECURITY.indexOf(m.endpoint.security()))
                .thenComparingInt(m -> PROTOCOLS.indexOf(m.endpoint.protocol()))
                .thenComparingInt(Ranking::portRank)
                .thenComparing(m -> -m.sources.size())
                .thenComparing(m -> m.primary().source(), BY_AUTHORITY)
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

    /** Which proposal speaks for a contacts, calendars or JMAP endpoint: a trusted one, then the most authoritative. */
    static final Comparator<ServiceCandidate> SERVICE_PRIMARY = Comparator.<ServiceCandidate, Boolean>comparing(
            c -> !c.trusted()).thenComparing(ServiceCandidate::source, BY_AUTHORITY);

    static final Comparator<MergedService> SERVICE_ORDER = serviceComparator(false);

    /** {@link #SERVICE_ORDER} counting a pending probe as verified, as {@link #OPTIMISTIC} does. */
    static final Comparator<MergedService> SERVICE_OPTIMISTIC = serviceComparator(true);

    private static Comparator<MergedService> serviceComparator(boolean optimistic) {
        return Comparator.<MergedService>comparingInt(m -> m.verified() || (optimistic && m.pending()) ? 0 : m.failed() ? 2 : 1)
                .thenComparing(m -> !m.trusted())
                .thenComparing(m -> -m.sources.size())
                .thenComparing(m -> m.primary().source(), BY_AUTHORITY)
                .thenComparingInt(m -> m.arrival);
    }
}
