package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Admission with limits kept elsewhere: they decide while they answer, this replica's own when they do not. */
class SharedLimitsTest {

    private static final RateLimit TWO = new RateLimit(2, Duration.ofMinutes(1), 2);

    /** Shared limits that answer as told, or fail, and count what they were asked. */
    static final class Scripted implements SharedLimits {
        volatile boolean available = true;
        volatile boolean fail;
        volatile long tokenWait;
        volatile boolean slotFree = true;
        final AtomicInteger entered = new AtomicInteger();
        final AtomicInteger left = new AtomicInteger();

        @Override
        public boolean available() {
            return available;
        }

        @Override
        public CompletableFuture<Long> takeToken(String client) {
            return fail ? CompletableFuture.failedFuture(new IllegalStateException("down"))
                    : CompletableFuture.completedFuture(tokenWait);
        }

        @Override
        public CompletableFuture<Boolean> enter(String client) {
            if (fail) {
                return CompletableFuture.failedFuture(new IllegalStateException("down"));
            }
            if (slotFree) {
                entered.incrementAndGet();
            }
            return CompletableFuture.completedFuture(slotFree);
        }

        @Override
        public void leave(String client) {
            left.incrementAndGet();
        }
    }

    @Test
    void theSharedLimitsDecideWhileTheyAnswer() {
        Scripted shared = new Scripted();
        ClientLimiter limiter = new ClientLimiter(TWO, 8, shared);
        // Many more than the local bucket's two: the shared bucket has tokens.
        for (int i = 0; i < 5; i++) {
            ClientLimiter.Decision d = limiter.admit("192.0.2.1").join();
            assertThat(d).isInstanceOf(ClientLimiter.Permit.class);
            ((ClientLimiter.Permit) d).release();
        }
        assertThat(shared.entered).hasValue(5);
        assertThat(shared.left).hasValue(5);

        shared.tokenWait = Duration.ofSeconds(30).toNanos();
        ClientLimiter.Decision refused = limiter.admit("192.0.2.1").join();
        assertThat(refused).isInstanceOfSatisfying(ClientLimiter.Refused.class, r -> {
            assertThat(r.kind()).isEqualTo("rate");
            assertThat(r.retryAfterSeconds()).isEqualTo(30);
        });
        // The slot taken for the refused lookup was given back.
        assertThat(shared.left).hasValue(shared.entered.get());

        shared.slotFree = false;
        assertThat(limiter.admit("192.0.2.1").join()).isInstanceOfSatisfying(ClientLimiter.Refused.class,
                r -> assertThat(r.kind()).isEqualTo("in-flight"));
    }

    @Test
    void whenTheyFailOrAreDownThisReplicasOwnLimitsDecide() {
        Scripted shared = new Scripted();
        ClientLimiter limiter = new ClientLimiter(TWO, 8, shared);
        shared.fail = true;
        assertThat(limiter.admit("192.0.2.2").join()).isInstanceOf(ClientLimiter.Permit.class);
        shared.fail = false;
        shared.available = false;
        assertThat(limiter.admit("192.0.2.2").join()).isInstanceOf(ClientLimiter.Permit.class);
        // The local bucket of two is empty now.
        assertThat(limiter.admit("192.0.2.2").join()).isInstanceOfSatisfying(ClientLimiter.Refused.class,
                r -> assertThat(r.kind()).isEqualTo("rate"));
        assertThat(shared.entered).hasValue(0);
    }
}
