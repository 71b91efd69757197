package org.mailsetup.service.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.mailsetup.EmailAddress;
import org.mailsetup.LookupOptions;
import org.mailsetup.SharedCache;
import org.mailsetup.service.ContractJson;
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
    private static final ObjectMapper JSON = ContractJson.mapper();
    private static final long POLL_MS = 50;
    /** What a lock holds: which replica took it, for whoever looks into Redis. */
    private static final byte[] OWNER = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);

    private final Redis redis;

    RedisResultCache(Redis redis) {
        this.redis = redis;
    }

    @Override
    public CompletableFuture<Optional<Hit>> find(EmailAddress address, LookupOptions options, Duration maxWait) {
        Entry key = new Entry(address, options);
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
            return redis.call("lock", c -> c.set(key.lock(), OWNER, lockArgs))
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
    private CompletableFuture<Optional<Hit>> waitFor(Entry key, long deadline) {
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
                    return redis.call("lock-check", c -> c.exists(key.lock()))
                            // Gone: stored just now (read it), or given up (then the read misses too).
                            .thenCompose(n -> n == 0 ? read(key) : waitFor(key, deadline));
                });
    }

    /** The stored result and its remaining lifetime, if there is a valid one. */
    private CompletableFuture<Optional<Hit>> read(Entry key) {
        String k = key.result();
        CompletableFuture<byte[]> value = redis.call("get", c -> c.get(k));
        CompletableFuture<Long> ttl = redis.call("pttl", c -> c.pttl(k));
        return value.thenCombine(ttl, (bytes, ms) -> {
            if (bytes == null || ms == null || ms <= 0) {
                return Optional.<Hit>empty();
            }
            DiscoveryResult r = parse(bytes, key.address());
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

    /** The keys of one lookup, and the address its result must be for. */
    private record Entry(String result, String lock, String address) {
        Entry(EmailAddress address, LookupOptions options) {
            this(Keys.result(address, options), Keys.lock(address, options), address.address());
        }
    }

    @Override
    public void store(EmailAddress address, LookupOptions options, DiscoveryResult result, Duration lifetime) {
        Entry key = new Entry(address, options);
        // Core stores after every discovery it ran: this counts the discoveries of this replica.
        count("stored");
        if (!lifetime.isZero() && !lifetime.isNegative()) {
            byte[] json;
            try {
                json = JSON.writeValueAsBytes(result);
            } catch (IOException e) {
                throw new IllegalStateException("JSON writer failed", e);
            }
            redis.call("set", c -> c.set(key.result(), json, SetArgs.Builder.px(lifetime.toMillis())));
        }
        unlock(key);
    }

    private void unlock(Entry key) {
        redis.call("unlock", c -> c.del(key.lock()));
    }

    private void count(String outcome) {
        redis.countCache(outcome);
    }
}
