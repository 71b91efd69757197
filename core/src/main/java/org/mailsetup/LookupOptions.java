package org.mailsetup;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of one lookup; {@link MailSetup#defaults()} gives the builder's.
 *
 * @param timeout the deadline for the whole lookup, verification included
 * @param verify  whether to probe servers; without it, answers are marked unverified
 */
public record LookupOptions(Duration timeout, boolean verify) {

    public LookupOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    public LookupOptions withTimeout(Duration timeout) {
        return new LookupOptions(timeout, verify);
    }

    public LookupOptions withVerify(boolean verify) {
        return new LookupOptions(timeout, verify);
    }
}
