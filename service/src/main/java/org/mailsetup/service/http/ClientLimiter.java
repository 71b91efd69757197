package org.mailsetup.service.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-client admission for lookups: a token bucket (Bucket4j) and a cap on lookups in flight. Clients
 * are keyed by IP address; idle clients are forgotten after a while, so memory stays bounded. With
 * {@link SharedLimits} the bucket and the cap live in a store that the replicas share; whenever that
 * store does not answer, this replica's own bucket and cap decide.
 */
final class ClientLimiter {

    /** The outcome of {@link #tryAcquire}: either a permit to release when done, or a refusal. */
    sealed interface Decision permits Permit, Refused {
    }

    /** Admitted; {@link #release()} exactly once when the lookup is over. */
    static final class Permit implements Decision {
        private final Runnable onRelease;
        private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

        Permit(Runnable onRelease) {
            this.onRelease = onRelease;
        }

        void release() {
            if (onRelease != null && released.compareAndSet(false, true)) {
                onRelease.run();
            }
        }
    }

    /** Refused; the client may retry after that many seconds. */
    record Refused(String kind, String reason, long retryAfterSeconds) implements Decision {
    }

    private static final class Client {
        final Bucket bucket;
        final AtomicInteger inFlight = new AtomicInteger();

        Client(Bucket bucket) {
            this.bucket = bucket;
        }
    }

    private static final Permit UNLIMITED = new Permit(null);

    private final RateLimit rate;
    private final int maxInFlight;
    private final Cache<String, Client> clients;
    private final SharedLimits shared;

    /**
     * @param rate        the token bucket per client, or null for none
     * @param maxInFlight lookups one client may have running at once, or 0 for no cap
     */
    ClientLimiter(RateLimit rate, int maxInFlight) {
        this(rate, maxInFlight, null);
    }

    /** @param shared limits shared with other replicas, or null to keep them in this process only */
    ClientLimiter(RateLimit rate, int maxInFlight, SharedLimits shared) {
        this.rate = rate;
        this.maxInFlight = maxInFlight;
        this.shared = shared;
        this.clients = Caffeine.newBuilder()
                .maximumSize(200_000)
                .expireAfterAccess(rate == null ? Duration.ofMinutes(10) : rate.period().multipliedBy(2).plusMinutes(1))
                .build();
    }

    boolean enabled() {
        return rate != null || maxInFlight > 0;
    }

    /**
     * Admits or refuses a lookup of this client: from the shared limits when there are some and they
     * answer, else from this replica's own. Completes at once without shared limits.
     */
    CompletableFuture<Decision> admit(String clientIp) {
        if (!enabled() || shared == null || !shared.available()) {
            return CompletableFuture.completedFuture(tryAcquire(clientIp));
        }
        CompletableFuture<Boolean> entered = maxInFlight > 0 ? shared.enter(clientIp)
                : CompletableFuture.completedFuture(true);
        return entered.thenCompose(in -> {
            if (!in) {
                return CompletableFuture.completedFuture(inFlightRefusal());
            }
            Permit permit = maxInFlight > 0 ? new Permit(() -> shared.leave(clientIp)) : UNLIMITED;
            if (rate == null) {
                return CompletableFuture.completedFuture(permit);
            }
            return shared.takeToken(clientIp).handle((waitNanos, e) -> {
                if (e == null && waitNanos == 0) {
                    return permit;
                }
                permit.release();
                return e == null ? rateRefusal(waitNanos) : tryAcquire(clientIp);
            });
        }).exceptionally(e -> tryAcquire(clientIp));
    }

    /** This replica's own decision. */
    Decision tryAcquire(String clientIp) {
        if (!enabled()) {
            return UNLIMITED;
        }
        Client c = clients.get(clientIp, k -> new Client(rate == null ? null : newBucket()));
        if (maxInFlight > 0 && c.inFlight.incrementAndGet() > maxInFlight) {
            c.inFlight.decrementAndGet();
            return inFlightRefusal();
        }
        if (c.bucket != null) {
            ConsumptionProbe probe = c.bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                if (maxInFlight > 0) {
                    c.inFlight.decrementAndGet();
                }
                return rateRefusal(probe.getNanosToWaitForRefill());
            }
        }
        return maxInFlight > 0 ? new Permit(c.inFlight::decrementAndGet) : UNLIMITED;
    }

    private Refused inFlightRefusal() {
        return new Refused("in-flight", "too many lookups in flight from this client (at most " + maxInFlight + ")", 1);
    }

    private Refused rateRefusal(long nanosToWait) {
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosToWait + 999_999_999L));
        return new Refused("rate", "rate limit of " + rate.requests() + " lookups per " + human(rate.period())
                + " exceeded", seconds);
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(rate.burst()).refillGreedy(rate.requests(), rate.period()).build())
                .build();
    }

    private static String human(Duration d) {
        return d.equals(Duration.ofSeconds(1)) ? "second" : d.equals(Duration.ofMinutes(1)) ? "minute" : "hour";
    }
}
