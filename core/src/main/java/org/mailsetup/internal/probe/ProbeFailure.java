package org.mailsetup.internal.probe;

/** Ends a probe with a reason meant for people; carries no stack trace because it is no bug. */
final class ProbeFailure extends Exception {

    ProbeFailure(String reason) {
        super(reason, null, false, false);
    }

    String reason() {
        return getMessage();
    }
}
