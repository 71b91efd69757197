package org.mailsetup.service.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lettuce.core.SetArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.SharedCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results in Redis, as the JSON contract, under {@link Keys#result}, for the lifetime core gives them.
 * A miss takes a short lock ({@code SET NX PX}); a replica that finds the lock taken polls for the
 * holder's result until the wait is over, then discovers anyway. A value that does not read as a result
 * for that very address (corrupt, foreign, another version's) is a miss and is overwritten later.
 */
final class RedisResultCache implements SharedCache {

    private static final Logger log = LoggerFactory.getLogger(RedisResultCache.class);
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final long POLL_MS = 50;
    /** What a lock holds: which replica took it, for whoever looks into Redis. */
    private static final byte[] OWNER = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);

    private final Redis redis;
    private final String variant;

    RedisResultCache(Redis redis, String variant) {
        this.redis = redis;
        this.variant = variant;
    }

    @Override
    public CompletableFuture<Optional<Hit>> find(String key, Duration maxWait) {
        if (!redis.available()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        return read(key).thenCompose(hit -> {
            if (hit.isPresent()) {
                count("hit");
                return CompletableFuture.completedFuture(hit);
            }
            // The lock lives as long as a discovery may: the wait is half the lookup deadline.
            SetArgs lockArgs = SetArgs.Builder.nx().px(Math.max(1, maxWait.toMillis() * 2));
            return redis.call("lock", c -> c.set(Keys.lock(variant, key), OWNER, lockArgs))
                    .thenCompose(ok -> {
                        if (!"OK".equals(ok)) {
                            return waitFor(key, deadline);
                        }
                        // The lock may be free because its holder has just stored the result: look again.
                        return read(key).thenApply(again -> {
                            count(again.isPresent() ? "hit" : "miss");
                            if (again.isPresent()) {
                                unlock(key);
                            }
                            return again;
                        });
                    });
        }).exceptionally(e -> Optional.empty());
    }

    /** Polls for the result another replica is discovering, until it is there, the lock is gone, or time is up. */
    private CompletableFuture<Optional<Hit>> waitFor(String key, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            count("wait-expired");
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Executor later = CompletableFuture.delayedExecutor(Math.min(POLL_MS, TimeUnit.NANOSECONDS.toMillis(left) + 1),
                TimeUnit.MILLISECONDS);
        return CompletableFuture.supplyAsync(() -> null, later)
                .thenCompose(x -> read(key))
                .thenCompose(hit -> {
                    if (hit.isPresent()) {
                        count("hit-after-wait");
                        return CompletableFuture.completedFuture(hit);
                    }
                    return redis.call("lock-check", c -> c.exists(Keys.lock(variant, key)))
                            // Gone: stored just now (read it), or given up (then the read misses too).
                            .thenCompose(n -> n == 0 ? read(key) : waitFor(key, deadline));
                });
    }

    /** The stored result and its remaining lifetime, if there is a valid one. */
    private CompletableFuture<Optional<Hit>> read(String key) {
        String k = Keys.result(variant, key);
        CompletableFuture<byte[]> value = redis.call("get", c -> c.get(k));
        CompletableFuture<Long> ttl = redis.call("pttl", c -> c.pttl(k));
        return value.thenCombine(ttl, (bytes, ms) -> {
            if (bytes == null || ms == null || ms <= 0) {
                return Optional.<Hit>empty();
            }
            DiscoveryResult r = parse(bytes, key);
            return r == null ? Optional.<Hit>empty() : Optional.of(new Hit(r, Duration.ofMillis(ms)));
        });
    }

    /** The result in {@code bytes} when it is one, for this address; else null (and counted). */
    private DiscoveryResult parse(byte[] bytes, String address) {
        try {
            DiscoveryResult r = JSON.readValue(bytes, DiscoveryResult.class);
            if (r != null && address.equals(r.email()) && r.domain() != null && r.incoming() != null) {
                return r;
            }
        } catch (IOException | RuntimeException e) {
            // The class only: a parser's message may quote the value, and values name people.
            log.debug("ignoring an unreadable cached result ({})", e.getClass().getSimpleName());
        }
        count("invalid");
        return null;
    }

    @Override
    public void store(String key, DiscoveryResult result, Duration lifetime) {
        // Core stores after every discovery it ran: this counts the discoveries of this replica.
        count("stored");
        if (!lifetime.isZero() && !lifetime.isNegative()) {
            byte[] json;
            try {
                json = JSON.writeValueAsBytes(result);
            } catch (IOException e) {
                throw new IllegalStateException("JSON writer failed", e);
            }
            redis.call("set", c -> c.set(Keys.result(variant, key), json, SetArgs.Builder.px(lifetime.toMillis())));
        }
        unlock(key);
    }

    private void unlock(String key) {
        redis.call("unlock", c -> c.del(Keys.lock(variant, key)));
    }

    private void count(String outcome) {
        redis.countCache(outcome);
    }
}
