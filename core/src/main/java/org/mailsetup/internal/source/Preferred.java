package org.mailsetup.internal.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.mailsetup.internal.Deadline;

/**
 * Runs alternatives concurrently and picks the most preferred usable result. A usable result is taken
 * as soon as every more preferred alternative has finished; if some are still running, they get at
 * most a short grace period, so one slow URL does not hold back an answer that is already there.
 */
public final class Preferred {

    /**
     * @param results one entry per task, in task order; null for a task that had not finished (or threw)
     * @param chosen  index of the chosen result, or -1 when none was usable
     * @param pending tasks still running when the choice was made (they were cancelled)
     */
    public record Outcome<T>(List<T> results, int chosen, int pending) {
        public T best() {
            return chosen < 0 ? null : results.get(chosen);
        }
    }

    private Preferred() {
    }

    /**
     * @param threads runs the alternatives (the lookup's executor); those still running at the end are cancelled
     * @param tasks   alternatives, most preferred first; they should report failures as results, not throw
     * @param usable which results count
     * @param grace  how long a usable result waits for more preferred alternatives still running
     */
    public static <T> Outcome<T> run(ExecutorService threads, List<Callable<T>> tasks, Predicate<T> usable,
                                     Deadline deadline, Duration grace) throws InterruptedException {
        int n = tasks.size();
        List<T> results = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(n, null)));
        boolean[] finished = new boolean[n];
        BlockingQueue<Integer> done = new LinkedBlockingQueue<>();
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                int index = i;
                running.add(threads.submit(() -> {
                    try {
                        results.set(index, tasks.get(index).call());
                    } catch (Exception e) {
                        // A task that throws simply has no result.
                    } finally {
                        done.add(index);
                    }
                }));
            }
            Deadline graceEnds = null;
            int finishedCount = 0;
            while (true) {
                int best = -1;
                boolean betterPending = false;
                for (int i = 0; i < n; i++) {
                    if (!finished[i]) {
                        betterPending = true;
                    } else if (results.get(i) != null && usable.test(results.get(i))) {
                        best = i;
                        break;
                    }
                }
                if (best >= 0 && !betterPending) {
                    return new Outcome<>(nullable(results), best, n - finishedCount);
                }
                if (finishedCount == n) {
                    return new Outcome<>(nullable(results), -1, 0);
                }
                if (best >= 0 && graceEnds == null) {
                    graceEnds = Deadline.after(grace).min(deadline);
                }
                Deadline waitUntil = graceEnds == null ? deadline : graceEnds;
                Integer next = done.poll(Math.max(0, waitUntil.remaining().toNanos()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    return new Outcome<>(nullable(results), best, n - finishedCount);
                }
                finished[next] = true;
                finishedCount++;
            }
        } finally {
            running.forEach(f -> f.cancel(true));
        }
    }

    // List.copyOf refuses nulls; keep a snapshot that allows them.
    private static <T> List<T> nullable(List<T> results) {
        synchronized (results) {
            return Collections.unmodifiableList(new ArrayList<>(results));
        }
    }
}
