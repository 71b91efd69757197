package org.mailsetup;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A second cache level that several {@link MailSetup}s share, e.g. the replicas of a service through
 * Redis. On a miss of its own cache a MailSetup asks here before it discovers, and afterwards stores
 * what it discovered with the lifetime its own cache gives the result (bounded by DNS TTLs, errors
 * shorter, time-outs never).
 *
 * <p>Implementations must not fail and must answer quickly: a store that is slow or unreachable is a
 * miss, so lookups never depend on it.
 */
public interface SharedCache {

    /** A result found in the shared level, and how much longer it may be used. */
    record Hit(DiscoveryResult result, Duration remaining) {
    }

    /**
     * The result stored for {@code key}, or empty when the caller should discover it and then
     * {@link #store} it. May wait up to {@code maxWait} for another instance that is discovering the same
     * key, so that identical concurrent lookups run one discovery.
     *
     * @param key the normalised address (results depend on all of it): personal data, never store it in clear
     */
    CompletableFuture<Optional<Hit>> find(String key, Duration maxWait);

    /** Stores a result for {@code lifetime}; a zero lifetime stores nothing, but ends a wait that {@link #find} began. */
    void store(String key, DiscoveryResult result, Duration lifetime);
}
