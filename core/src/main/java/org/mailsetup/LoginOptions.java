package org.mailsetup;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of a login check.
 *
 * @param timeout        the most one check may take, connection and TLS included (for {@link
 *                       MailSetup#lookupAndCheck}: both directions with their fallbacks, after the lookup)
 * @param allowPlaintext sign in over a connection without TLS ({@link Security#PLAIN}); off by default, and
 *                       when on, a report over plain text carries a warning
 */
public record LoginOptions(Duration timeout, boolean allowPlaintext) {

    /** 10 s, TLS only. */
    public static final LoginOptions DEFAULTS = new LoginOptions(Duration.ofSeconds(10), false);

    public LoginOptions {
        if (!Objects.requireNonNull(timeout, "timeout").isPositive()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
    }

    public LoginOptions withTimeout(Duration timeout) {
        return new LoginOptions(timeout, allowPlaintext);
    }

    public LoginOptions withAllowPlaintext(boolean allowPlaintext) {
        return new LoginOptions(timeout, allowPlaintext);
    }
}
