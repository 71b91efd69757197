package org.mailsetup.service.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mailsetup.SharedCache;
import org.mailsetup.service.http.RateLimit;
import org.mailsetup.service.http.SharedLimits;
import org.mailsetup.service.http.SharedState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's one connection to Redis (or Valkey), through Lettuce, and its health. Every call has a
 * short time-out, and a failed or late call is answered locally. Three failures in a row (or one while
 * disconnected) mark Redis down: for the next second calls fail at once without waiting, so a slow
 * Redis costs lookups at most a few time-outs a second. Down and back are each
 * logged once per outage. The result cache ({@link RedisResultCache}) and the limits
 * ({@link RedisLimits}) use this connection.
 */
public final class Redis implements SharedState {

    private static final Logger log = LoggerFactory.getLogger(Redis.class);
    /** How long calls are skipped once Redis is marked down. */
    private static final long BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Failures in a row that mark Redis down: one late answer on a busy machine is not an outage. */
    private static final int FAILURES_TO_DOWN = 3;
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final Duration timeout;
    private final String where;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicBoolean up = new AtomicBoolean();
    private final AtomicBoolean outageLogged = new AtomicBoolean();
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile boolean closed;
    private volatile long retryAt = System.nanoTime();
    private volatile MeterRegistry registry;
    private final ConcurrentHashMap<String, Object> meters = new ConcurrentHashMap<>();

    private Redis(RedisURI uri, Duration timeout) {
        this.uri = uri;
        this.timeout = timeout;
        this.where = (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
        // Lettuce reconnects by itself; every second, so sharing resumes soon after Redis is back.
        this.resources = ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofSeconds(1))).build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While disconnected, fail calls at once instead of queueing them until Redis is back.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
                .build());
    }

    /**
     * Connects to {@code url} ({@code redis://host:6379/0}, {@code rediss://} for TLS, password in the URL
     * or in {@code password}), waiting at most two seconds: a replica whose Redis is down starts anyway,
     * with its local cache and limits, and keeps trying.
     *
     * @throws IllegalArgumentException for a URL that is not a Redis URL
     */
    public static Redis connect(String url, String password, Duration timeout) {
        if (!"redis".equals(schemeOf(url)) && !"rediss".equals(schemeOf(url))) {
            throw new IllegalArgumentException("a Redis URL starts with redis:// or rediss://");
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (RuntimeException e) {
            // Not echoed: the URL may hold the password.
            throw new IllegalArgumentException("the Redis URL is malformed (try redis://host:6379/0 or rediss://…)", e);
        }
        if (password != null && !password.isEmpty()) {
            uri.setAuthentication(password);
        }
        // Connecting (TCP, TLS, HELLO, AUTH) may take longer than a call; it never holds up a lookup.
        uri.setTimeout(Duration.ofSeconds(2));
        Redis redis = new Redis(uri, timeout);
        redis.connection();
        for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
             redis.connecting.get() && System.nanoTime() < until; ) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return redis;
    }

    private static String schemeOf(String url) {
        int i = url.indexOf("://");
        return i < 0 ? "" : url.substring(0, i);
    }

    /** The second cache level of results. */
    public SharedCache resultCache() {
        return new RedisResultCache(this);
    }

    @Override
    public SharedLimits limits(RateLimit rate, int maxInFlight) {
        return new RedisLimits(this, rate, maxInFlight);
    }

    @Override
    public boolean up() {
        return up.get();
    }

    @Override
    public String describe() {
        return "Redis at " + where;
    }

    /** False while calls are skipped (just failed, or not connected yet). */
    boolean available() {
        return (up.get() || System.nanoTime() - retryAt >= 0) && connection() != null;
    }

    /** The connection, or null; starts (re)connecting when there is none and the back-off is over. */
    StatefulRedisConnection<String, byte[]> connection() {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c == null && !closed && System.nanoTime() - retryAt >= 0 && connecting.compareAndSet(false, true)) {
            client.connectAsync(CODEC, uri).whenComplete((conn, e) -> {
                connecting.set(false);
                if (e != null) {
                    failed("connect", e);
                    // Try again in the background too, so that a replica without traffic reconnects.
                    resources.eventExecutorGroup().schedule(this::connection, BACKOFF_NANOS, TimeUnit.NANOSECONDS);
                } else {
                    connection = conn;
                    succeeded();
                }
            });
        }
        return c;
    }

    /**
     * Runs one Redis call under the time-out, with its latency and errors counted and Redis's health
     * updated. Fails at once while calls are skipped.
     */
    <T> CompletableFuture<T> call(String op, Function<RedisAsyncCommands<String, byte[]>, CompletionStage<T>> command) {
        StatefulRedisConnection<String, byte[]> c = connection();
        if (c == null || !available()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is unavailable"));
        }
        return track(op, () -> command.apply(c.async()));
    }

    /** As {@link #call}, for calls made by a library on this connection. */
    <T> CompletableFuture<T> track(String op, Supplier<CompletionStage<T>> command) {
        long start = System.nanoTime();
        CompletableFuture<T> f;
        try {
            f = command.get().toCompletableFuture();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
            MeterRegistry r = registry;
            if (r != null) {
                meter("latency:" + op, () -> Timer.builder("mailsetup.redis.latency").tag("op", op)
                        .description("Redis calls, by operation").register(r))
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            if (e == null) {
                succeeded();
            } else {
                if (r != null) {
                    meter("errors:" + op, () -> Counter.builder("mailsetup.redis.errors").tag("op", op)
                            .description("Redis calls that failed or timed out").register(r)).increment();
                }
                failed(op, e);
            }
        });
    }

    /** Counts a lookup's outcome at the shared cache level. */
    void countCache(String result) {
        MeterRegistry r = registry;
        if (r != null) {
            meter("cache:" + result, () -> Counter.builder("mailsetup.redis.cache").tag("result", result)
                    .description("Lookups that asked Redis after a local miss, by what they found; "
                            + "stored: discoveries this replica ran").register(r)).increment();
        }
    }

    // Looked up once per name: building a meter id on every call costs more than the call.
    @SuppressWarnings("unchecked")
    private <M> M meter(String key, Supplier<M> register) {
        return (M) meters.computeIfAbsent(key, k -> register.get());
    }

    private void succeeded() {
        failuresInARow.set(0);
        up.set(true);
        if (outageLogged.compareAndSet(true, false)) {
            log.info("{} answers again: cache and limits are shared again", describe());
        }
    }

    private void failed(String op, Throwable e) {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (failuresInARow.incrementAndGet() < FAILURES_TO_DOWN && c != null && c.isOpen()) {
            return;
        }
        up.set(false);
        retryAt = System.nanoTime() + BACKOFF_NANOS;
        if (outageLogged.compareAndSet(false, true)) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            log.warn("{} does not answer ({}: {}); this replica uses its own cache and limits until it does",
                    describe(), op, cause instanceof java.util.concurrent.TimeoutException
                            ? "no answer within " + timeout.toMillis() + " ms" : cause.toString());
        }
    }

    @Override
    public void bindTo(MeterRegistry r) {
        this.registry = r;
        Gauge.builder("mailsetup.redis.up", this, x -> x.up() ? 1 : 0)
                .description("1 while Redis answers, 0 while this replica runs on its own").register(r);
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
