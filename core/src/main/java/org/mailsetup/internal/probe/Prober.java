package org.mailsetup.internal.probe;

import org.mailsetup.Endpoint;
import org.mailsetup.ProbeReport;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.net.Dialer;

/**
 * Speaks to a mail server to see whether a setting works, without ever sending a password.
 * Never throws: every failure is a report with {@code ok == false} and a reason.
 */
public interface Prober {
    ProbeReport probe(Endpoint target, Deadline deadline);

    /**
     * Resolves a host and applies the network policy without connecting: a report (kind {@code REFUSED},
     * or {@code CONCLUSIVE} for a name that does not exist) when no address of it may be dialled, null when
     * one may or the check could not tell.
     */
    default ProbeReport screen(String host, Deadline deadline) {
        return null;
    }

    /** This prober resolving and connecting through the given dialer (a lookup's, with its pinned addresses). */
    default Prober using(Dialer dialer) {
        return this;
    }
}
