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

    /** This prober resolving and connecting through the given dialer (a lookup's, with its pinned addresses). */
    default Prober using(Dialer dialer) {
        return this;
    }
}
