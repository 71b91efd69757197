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
     * The result stored for this address and options, or empty when the caller should discover it and
     * then {@link #store} it. May wait up to {@code maxWait} for another instance that is discovering the
     * same, so that identical concurrent lookups run one discovery.
     *
     * @param address results depend on all of it (usernames are the address): personal data, never a key in clear
     * @param options results differ with them, as in the local cache
     */
    CompletableFuture<Optional<Hit>> find(EmailAddress address, LookupOptions options, Duration maxWait);

    /** Stores a result for {@code lifetime}; a zero lifetime stores nothing, but ends a wait that {@link #find} began. */
    void store(EmailAddress address, LookupOptions options, DiscoveryResult result, Duration lifetime);
}
