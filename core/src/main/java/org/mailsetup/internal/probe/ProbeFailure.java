package org.mailsetup.internal.probe;

import org.mailsetup.ProbeReport.FailureKind;

/** Ends a probe with a reason meant for people; carries no stack trace because it is no bug. */
final class ProbeFailure extends Exception {

    private final FailureKind kind;

    /** A failure that proves the setting wrong or unsafe. */
    ProbeFailure(String reason) {
        this(reason, FailureKind.CONCLUSIVE);
    }

    ProbeFailure(String reason, FailureKind kind) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    /** A failure that may be passing: a time-out, a refused port, a busy server. */
    static ProbeFailure inconclusive(String reason) {
        return new ProbeFailure(reason, FailureKind.INCONCLUSIVE);
    }

    String reason() {
        return getMessage();
    }

    FailureKind kind() {
        return kind;
    }
}
