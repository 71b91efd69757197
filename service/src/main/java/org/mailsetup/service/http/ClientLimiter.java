package org.mailsetup.service.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-client admission for lookups: a token bucket (Bucket4j) and a cap on lookups in flight. Clients
 * are keyed by IP address; idle clients are forgotten after a while, so memory stays bounded.
 */
final class ClientLimiter {

    /** The outcome of {@link #tryAcquire}: either a permit to release when done, or a refusal. */
    sealed interface Decision permits Permit, Refused {
    }

    /** Admitted; {@link #release()} exactly once when the lookup is over. */
    static final class Permit implements Decision {
        private final AtomicInteger inFlight;
        private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

        Permit(AtomicInteger inFlight) {
            this.inFlight = inFlight;
        }

        void release() {
            if (inFlight != null && released.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
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

    /**
     * @param rate        the token bucket per client, or null for none
     * @param maxInFlight lookups one client may have running at once, or 0 for no cap
     */
    ClientLimiter(RateLimit rate, int maxInFlight) {
        this.rate = rate;
        this.maxInFlight = maxInFlight;
        this.clients = Caffeine.newBuilder()
                .maximumSize(200_000)
                .expireAfterAccess(rate == null ? Duration.ofMinutes(10) : rate.period().multipliedBy(2).plusMinutes(1))
                .build();
    }

    boolean enabled() {
        return rate != null || maxInFlight > 0;
    }

    Decision tryAcquire(String clientIp) {
        if (!enabled()) {
            return UNLIMITED;
        }
        Client c = clients.get(clientIp, k -> new Client(rate == null ? null : newBucket()));
        if (maxInFlight > 0 && c.inFlight.incrementAndGet() > maxInFlight) {
            c.inFlight.decrementAndGet();
            return new Refused("in-flight", "too many lookups in flight from this client (at most " + maxInFlight + ")", 1);
        }
        if (c.bucket != null) {
            ConsumptionProbe probe = c.bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                if (maxInFlight > 0) {
                    c.inFlight.decrementAndGet();
                }
                long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
                return new Refused("rate", "rate limit of " + rate.requests() + " lookups per " + human(rate.period())
                        + " exceeded", seconds);
            }
        }
        return maxInFlight > 0 ? new Permit(c.inFlight) : UNLIMITED;
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
