package org.mailsetup.internal.probe;

import org.mailsetup.ProbeReport.FailureKind;

/** Ends a probe with a reason meant for people; carries no stack trace because it is no bug. */
public final class ProbeFailure extends Exception {

    private final FailureKind kind;
    private final boolean timedOut;

    /** A failure that proves the setting wrong or unsafe. */
    ProbeFailure(String reason) {
        this(reason, FailureKind.CONCLUSIVE);
    }

    ProbeFailure(String reason, FailureKind kind) {
        this(reason, kind, false);
    }

    private ProbeFailure(String reason, FailureKind kind, boolean timedOut) {
        super(reason, null, false, false);
        this.kind = kind;
        this.timedOut = timedOut;
    }

    /** A failure that may be passing: a time-out, a refused port, a busy server. */
    static ProbeFailure inconclusive(String reason) {
        return new ProbeFailure(reason, FailureKind.INCONCLUSIVE);
    }

    /** The server did not answer in time (inconclusive). */
    static ProbeFailure timeout(String reason) {
        return new ProbeFailure(reason, FailureKind.INCONCLUSIVE, true);
    }

    public String reason() {
        return getMessage();
    }

    public FailureKind kind() {
        return kind;
    }

    /** The deadline (or a step's own time limit) passed while we waited for the server. */
    public boolean timedOut() {
        return timedOut;
    }
}
