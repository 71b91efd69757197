package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsetup.testkit.FakeDnsServer;

/** The second cache level: asked on a local miss, given what was discovered, never in the way. */
class SharedCacheTest {

    /** An in-memory shared level that records what it was given. */
    static final class MapCache implements SharedCache {
        final Map<String, Hit> entries = new ConcurrentHashMap<>();
        final Map<String, Duration> stored = new ConcurrentHashMap<>();

        @Override
        public CompletableFuture<Optional<Hit>> find(EmailAddress address, LookupOptions options, Duration maxWait) {
            return CompletableFuture.completedFuture(Optional.ofNullable(entries.get(key(address, options))));
        }

        @Override
        public void store(EmailAddress address, LookupOptions options, DiscoveryResult result, Duration lifetime) {
            stored.put(key(address, options), lifetime);
            if (!lifetime.isZero()) {
                entries.put(key(address, options), new Hit(result, lifetime));
            }
        }

        private static String key(EmailAddress address, LookupOptions options) {
            return address.address() + (options.verify() ? "" : " unverified");
        }
    }

    private FakeDnsServer dns;

    @BeforeEach
    void startDns() throws Exception {
        dns = new FakeDnsServer().start();
        dns.ttl(120).mx("shared.test", 10, "mx.shared.test")
                .srv("_imaps._tcp.shared.test", 0, 1, 993, "imap.shared.test").a("imap.shared.test", "127.0.0.1");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private MailSetup build(SharedCache shared, Duration timeout) {
        return MailSetup.builder().dnsServer(dns.address()).allowNetwork("127.0.0.0/8").verify(false)
                .timeout(timeout).sharedCache(shared).build();
    }

    @Test
    void aResultDiscoveredByOneInstanceIsServedToAnotherWithoutDiscovery() {
        MapCache shared = new MapCache();
        try (MailSetup a = build(shared, Duration.ofSeconds(4)); MailSetup b = build(shared, Duration.ofSeconds(4))) {
            DiscoveryResult first = a.lookupBlocking("alice@shared.test");
            assertThat(first.bestIncoming()).isPresent();
            // Stored with the lifetime of the local cache: bounded by the 120 s DNS TTL.
            assertThat(shared.stored).containsEntry("alice@shared.test unverified", Duration.ofSeconds(120));

            DiscoveryResult second = b.lookupBlocking("alice@shared.test");
            assertThat(second).isEqualTo(first);
            assertThat(dns.queryCount("_imaps._tcp.shared.test", "SRV")).isEqualTo(1);
        }
    }

    @Test
    void aTimedOutLookupIsNotShared() {
        dns.timeout("late.test");
        MapCache shared = new MapCache();
        try (MailSetup a = build(shared, Duration.ofMillis(200))) {
            assertThat(a.lookupBlocking("erin@late.test").error().code()).isEqualTo(LookupError.Code.TIMEOUT);
            // Stored with a zero lifetime: nothing kept, but a waiting instance is told to go ahead.
            assertThat(shared.stored).containsEntry("erin@late.test unverified", Duration.ZERO);
            assertThat(shared.entries).isEmpty();
        }
    }

    @Test
    void aSharedLevelThatNeverAnswersOrFailsIsAMiss() {
        SharedCache silent = new SharedCache() {
            @Override
            public CompletableFuture<Optional<Hit>> find(EmailAddress address, LookupOptions options, Duration maxWait) {
                return new CompletableFuture<>();
            }

            @Override
            public void store(EmailAddress address, LookupOptions options, DiscoveryResult result, Duration lifetime) {
            }
        };
        SharedCache failing = new SharedCache() {
            @Override
            public CompletableFuture<Optional<Hit>> find(EmailAddress address, LookupOptions options, Duration maxWait) {
                return CompletableFuture.failedFuture(new IllegalStateException("store down"));
            }

            @Override
            public void store(EmailAddress address, LookupOptions options, DiscoveryResult result, Duration lifetime) {
            }
        };
        for (SharedCache shared : List.of(silent, failing)) {
            try (MailSetup m = build(shared, Duration.ofSeconds(6))) {
                long t0 = System.nanoTime();
                DiscoveryResult r = m.lookupBlocking("bob@shared.test");
                assertThat(r.bestIncoming()).as("%s", r).isPresent();
                // At most half the deadline waiting, then a discovery in the other half.
                assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(7_500);
            }
        }
    }
}
