package org.mailsetup.service.http;

import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * What replicas of the server share (cache and limits, e.g. in Redis). The server binds its meters,
 * asks it for the limits, reports whether it is reachable and closes it last.
 */
public interface SharedState extends MeterBinder, AutoCloseable {

    /** The shared limits for these settings ({@code rate} may be null: no token bucket). */
    SharedLimits limits(RateLimit rate, int maxInFlight);

    /** Whether the store answered its last call. */
    boolean up();

    /** Where it is, for the log (no credentials). */
    String describe();

    @Override
    void close();
}
