package org.mailsetup.internal.discovery;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.mailsetup.Service;
import org.mailsetup.ServiceProbeReport;
import org.mailsetup.SourceName;

/** All candidates for one contacts, calendars or JMAP endpoint (same service, same URL), and its probe state. */
final class MergedService {

    /** What identifies the endpoint. */
    record Key(Service service, String url) {
        static Key of(ServiceCandidate c) {
            return new Key(c.service(), c.url());
        }
    }

    final Key key;
    final List<ServiceCandidate> proposals = new ArrayList<>();
    final Set<SourceName> sources = EnumSet.noneOf(SourceName.class);
    final int arrival;
    Merged.ProbeState probeState = Merged.ProbeState.NOT_PROBED;
    ServiceProbeReport probe;
    boolean overProbeLimit;

    MergedService(Key key, int arrival) {
        this.key = key;
        this.arrival = arrival;
    }

    void add(ServiceCandidate c) {
        proposals.add(c);
        sources.add(c.source());
    }

    boolean trusted() {
        return proposals.stream().anyMatch(ServiceCandidate::trusted);
    }

    boolean verified() {
        return probe != null && probe.ok();
    }

    boolean failed() {
        return probe != null && !probe.ok();
    }

    boolean pending() {
        return probeState == Merged.ProbeState.QUEUED || probeState == Merged.ProbeState.RUNNING;
    }

    /** The proposal that speaks for the endpoint ({@link Ranking#SERVICE_PRIMARY}). */
    ServiceCandidate primary() {
        return proposals.stream().min(Ranking.SERVICE_PRIMARY).orElseThrow();
    }
}
