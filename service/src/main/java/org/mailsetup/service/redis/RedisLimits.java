package org.mailsetup.service.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.mailsetup.service.http.RateLimit;
import org.mailsetup.service.http.SharedLimits;

/**
 * The per-client limits in Redis, as Bucket4j token buckets (its Lettuce integration: the bucket state
 * is one Redis value, updated by compare-and-swap). The rate limit is the same bucket as the local one.
 * The in-flight cap is a bucket too: a lookup takes a token and gives it back when it ends; a slow
 * refill returns, within {@link #SLOT_RECOVERY}, the slots of a replica that died with lookups running.
 * A client's buckets are kept as proxies with Bucket4j's batching: its concurrent requests share one
 * compare-and-swap instead of contending for the same Redis value.
 */
final class RedisLimits implements SharedLimits {

    /** How long until a slot lost with a dead replica is free again (all of them: per slot, SLOT_RECOVERY / cap). */
    static final Duration SLOT_RECOVERY = Duration.ofMinutes(2);

    private final Redis redis;
    private final BucketConfiguration rateConfig;
    private final BucketConfiguration inFlightConfig;
    private volatile StatefulRedisConnection<String, byte[]> connectionOfBuckets;
    private volatile AsyncProxyManager<String> buckets;
    private final Cache<String, AsyncBucketProxy> proxies = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(5)).build();

    RedisLimits(Redis redis, RateLimit rate, int maxInFlight) {
        this.redis = redis;
        this.rateConfig = rate == null ? null : BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(rate.burst()).refillGreedy(rate.requests(), rate.period()).build())
                .build();
        this.inFlightConfig = maxInFlight <= 0 ? null : BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(maxInFlight).refillGreedy(maxInFlight, SLOT_RECOVERY).build())
                .build();
    }

    @Override
    public boolean available() {
        return redis.available() && buckets() != null;
    }

    /** Bucket4j's proxy on the current connection (Lettuce keeps one connection, reconnecting it). */
    private AsyncProxyManager<String> buckets() {
        StatefulRedisConnection<String, byte[]> c = redis.connection();
        if (c == null) {
            return null;
        }
        if (c != connectionOfBuckets) {
            synchronized (this) {
                if (c != connectionOfBuckets) {
                    buckets = Bucket4jLettuce.casBasedBuilder(c)
                            // A bucket's key goes once it would be full again: idle clients cost nothing.
                            .expirationAfterWrite(ExpirationAfterWriteStrategy
                                    .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                            .build().asAsync();
                    proxies.invalidateAll();
                    connectionOfBuckets = c;
                }
            }
        }
        return buckets;
    }

    @Override
    public CompletableFuture<Long> takeToken(String client) {
        AsyncProxyManager<String> b = buckets();
        if (b == null || rateConfig == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no shared rate limit"));
        }
        return redis.track("rate", () -> bucket(b, Keys.rate(client), rateConfig)
                .tryConsumeAndReturnRemaining(1)
                .thenApply(p -> p.isConsumed() ? 0L : Math.max(1, p.getNanosToWaitForRefill())));
    }

    @Override
    public CompletableFuture<Boolean> enter(String client) {
        AsyncProxyManager<String> b = buckets();
        if (b == null || inFlightConfig == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no shared in-flight cap"));
        }
        return redis.track("enter", () -> bucket(b, Keys.inFlight(client), inFlightConfig).tryConsume(1));
    }

    @Override
    public void leave(String client) {
        AsyncProxyManager<String> b = buckets();
        if (b != null && inFlightConfig != null) {
            redis.track("leave", () -> bucket(b, Keys.inFlight(client), inFlightConfig).addTokens(1));
        }
    }

    private AsyncBucketProxy bucket(AsyncProxyManager<String> b, String key, BucketConfiguration config) {
        return proxies.get(key, k -> b.builder().withOptimization(Optimizations.batching())
                .build(k, () -> CompletableFuture.completedFuture(config)));
    }
}
