package org.mailsetup.internal.discovery;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.mailsetup.Endpoint;
import org.mailsetup.ProbeReport;
import org.mailsetup.SourceName;

/** All candidates for one server setting (same protocol, host, port, security), and its probe state. */
final class Merged {

    enum ProbeState { NOT_PROBED, QUEUED, RUNNING, DONE }

    final Endpoint endpoint;
    final List<Candidate> proposals = new ArrayList<>();
    final Set<SourceName> sources = EnumSet.noneOf(SourceName.class);
    /** The order in which it was first proposed, across the lookup: a stable last tie-breaker. */
    final int arrival;
    ProbeState probeState = ProbeState.NOT_PROBED;
    ProbeReport probe;
    /** It was queued when the lookup's probe limit was reached. */
    boolean overProbeLimit;

    Merged(Endpoint endpoint, int arrival) {
        this.endpoint = endpoint;
        this.arrival = arrival;
    }

    void add(Candidate c) {
        proposals.add(c);
        sources.add(c.source());
    }

    /** A trusted source named it: one source that vouches for a setting is enough. */
    boolean trusted() {
        return proposals.stream().anyMatch(Candidate::trusted);
    }

    boolean verified() {
        return probe != null && probe.ok();
    }

    boolean failed() {
        return probe != null && !probe.ok();
    }

    /** Only guesses named it. */
    boolean guessOnly() {
        return sources.equals(EnumSet.of(SourceName.GUESS));
    }

    /** The proposal that speaks for the setting ({@link Ranking#PRIMARY}). */
    Candidate primary() {
        return proposals.stream().min(Ranking.PRIMARY).orElseThrow();
    }
}
