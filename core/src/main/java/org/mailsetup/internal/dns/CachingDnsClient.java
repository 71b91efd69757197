package org.mailsetup.internal.dns;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.mailsetup.internal.Deadline;

/**
 * Remembers address answers for their TTL (at most a minute), and lets concurrent askers share one
 * query: a source that checked that {@code imap.example.org} exists and the probe that then connects to
 * it need one query, not two. Failures are not remembered. Safe for the network policy, which judges
 * the address actually connected, not the answer.
 */
public final class CachingDnsClient extends AddressDecorator {

    private static final Duration MAX_AGE = Duration.ofMinutes(1);

    private final Executor executor;
    private final AsyncCache<String, Outcome> addresses;

    /** An answer or why there is none; failures expire at once, so they are shared but never remembered. */
    private record Outcome(DnsAnswer<InetAddress> answer, DnsException failure) {
    }

    public CachingDnsClient(DnsClient delegate, Executor executor) {
        super(delegate);
        this.executor = executor;
        this.addresses = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfter(Expiry.<String, Outcome>creating((host, o) -> lifetime(o)))
                .executor(Runnable::run)
                .buildAsync();
    }

    @Override
    public DnsAnswer<InetAddress> addresses(String host, Deadline deadline) throws DnsException {
        String key = host.toLowerCase(java.util.Locale.ROOT);
        CompletableFuture<Outcome> shared = addresses.get(key, (k, e) -> CompletableFuture.supplyAsync(() -> {
            try {
                // The first asker's deadline bounds the shared query; others wait at most their own.
                return new Outcome(delegate.addresses(k, deadline), null);
            } catch (DnsException ex) {
                return new Outcome(null, ex);
            }
        }, executor));
        Outcome o;
        try {
            o = deadline.await(shared);
        } catch (TimeoutException ex) {
            throw DnsException.deadlinePassed("DNS query for " + host + " timed out");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw DnsException.deadlinePassed("DNS query for " + host + " was interrupted");
        } catch (ExecutionException ex) {
            throw new DnsException("DNS query for " + host + " failed: " + ex.getCause(), ex.getCause());
        }
        if (lifetime(o).isZero()) {
            // Caffeine applies the zero lifetime in a completion callback that can run after this
            // waiter wakes; drop the entry now so that the next ask queries again.
            addresses.asMap().remove(key, shared);
        }
        if (o.failure() != null) {
            throw o.failure();
        }
        return o.answer();
    }

    /** The answer's TTL, at most {@link #MAX_AGE}; zero for a failure or an answer without a TTL. */
    private static Duration lifetime(Outcome o) {
        return o.failure() != null || o.answer().ttlSeconds() < 0
                ? Duration.ZERO
                : Duration.ofSeconds(Math.min(o.answer().ttlSeconds(), MAX_AGE.toSeconds()));
    }

    /** Forgets every remembered answer. */
    public void clear() {
        addresses.synchronous().invalidateAll();
    }
}
