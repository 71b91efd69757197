package org.mailsetup.internal;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A point in time (monotonic clock) by which work must be finished. */
public record Deadline(long nanoTime) {

    public static Deadline after(Duration d) {
        return new Deadline(System.nanoTime() + d.toNanos());
    }

    public Duration remaining() {
        long left = nanoTime - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    public long remainingMillis() {
        return remaining().toMillis();
    }

    public boolean expired() {
        return System.nanoTime() - nanoTime >= 0;
    }

    /** The shorter of the time left and the given cap, never below one millisecond. */
    public Duration cap(Duration max) {
        Duration left = remaining();
        Duration d = left.compareTo(max) < 0 ? left : max;
        return d.isZero() ? Duration.ofMillis(1) : d;
    }

    /** This deadline or the other, whichever comes first. */
    public Deadline min(Deadline other) {
        return nanoTime - other.nanoTime <= 0 ? this : other;
    }

    /** The future's value, waiting no longer than this deadline (at least a millisecond). */
    public <T> T await(Future<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(Math.max(1, remainingMillis()), TimeUnit.MILLISECONDS);
    }
}
