package org.mailsetup.internal.dns;

import java.io.IOException;

/**
 * A DNS query that got no usable answer: the resolver answered SERVFAIL or REFUSED, gave no answer within
 * its time limit, or sent a malformed reply; or the lookup's own deadline came first
 * ({@link #deadlinePassed()}), which says nothing about the resolver.
 */
public final class DnsException extends IOException {

    private final boolean deadlinePassed;

    public DnsException(String message) {
        this(message, null, false);
    }

    public DnsException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private DnsException(String message, Throwable cause, boolean deadlinePassed) {
        super(message, cause);
        this.deadlinePassed = deadlinePassed;
    }

    /** The lookup's deadline passed (or the lookup ended) before the resolver answered. */
    public static DnsException deadlinePassed(String message) {
        return new DnsException(message, null, true);
    }

    /** True when the lookup ran out of time rather than the resolver failing (also for a wrapped cause). */
    public boolean deadlinePassed() {
        return deadlinePassed || getCause() instanceof DnsException d && d.deadlinePassed();
    }
}
