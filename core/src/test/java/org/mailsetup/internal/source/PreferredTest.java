package org.mailsetup.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailsetup.internal.Deadline;

@Timeout(20)
class PreferredTest {

    private final java.util.concurrent.ExecutorService threads =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private static Callable<String> after(long millis, String value) {
        return () -> {
            Thread.sleep(millis);
            return value;
        };
    }

    private static boolean usable(String s) {
        return s.startsWith("ok");
    }

    @Test
    void waitsForMorePreferredAlternativesThatFinishInTime() throws Exception {
        Preferred.Outcome<String> o = Preferred.run(threads, List.of(after(300, "ok-first"), after(10, "ok-second")),
                PreferredTest::usable, Deadline.after(Duration.ofSeconds(5)), Duration.ofSeconds(2));
        assertThat(o.best()).isEqualTo("ok-first");
        assertThat(o.pending()).isZero();
    }

    @Test
    void skipsUnusableResults() throws Exception {
        Preferred.Outcome<String> o = Preferred.run(threads, List.of(after(10, "html"), after(50, "ok-second")),
                PreferredTest::usable, Deadline.after(Duration.ofSeconds(5)), Duration.ofSeconds(2));
        assertThat(o.chosen()).isEqualTo(1);
        assertThat(o.results()).containsExactly("html", "ok-second");
    }

    @Test
    void graceLimitsTheWaitForASlowPreferredAlternative() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        Callable<String> hangs = () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return "ok-late";
        };
        long start = System.nanoTime();
        Preferred.Outcome<String> o = Preferred.run(threads, List.of(hangs, after(10, "ok-fast")), PreferredTest::usable,
                Deadline.after(Duration.ofSeconds(10)), Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(o.best()).isEqualTo("ok-fast");
        assertThat(o.pending()).isEqualTo(1);
        assertThat(o.results().get(0)).isNull();
        // The loser is cancelled, not left running.
        assertThat(interrupted.await(2, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void nothingUsableByTheDeadline() throws Exception {
        long start = System.nanoTime();
        Preferred.Outcome<String> o = Preferred.run(threads, List.of(after(10_000, "ok"), () -> {
            throw new IllegalStateException("boom");
        }), PreferredTest::usable, Deadline.after(Duration.ofMillis(300)), Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(o.chosen()).isEqualTo(-1);
        assertThat(o.pending()).isEqualTo(1);
        assertThat(o.results()).containsOnlyNulls();
    }
}
