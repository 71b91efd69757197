package org.mailsetup.service.http;

import java.util.concurrent.CompletableFuture;

/**
 * The per-client token bucket and in-flight cap kept outside this process, so that they hold across
 * replicas. Every call may fail (the store is slow or down): then the replica decides with its own,
 * local limits.
 */
public interface SharedLimits {

    /** False while the store is known to be unreachable: the caller decides locally, without waiting. */
    boolean available();

    /** Takes a token from the client's bucket: 0 when taken, else the nanoseconds until one is there. */
    CompletableFuture<Long> takeToken(String client);

    /** Takes one of the client's in-flight slots: false when they are all in use. */
    CompletableFuture<Boolean> enter(String client);

    /** Gives back a slot that {@link #enter} took. */
    void leave(String client);
}
