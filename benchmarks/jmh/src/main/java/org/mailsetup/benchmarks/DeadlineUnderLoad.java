package org.mailsetup.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.MailSetup;
import org.mailsetup.testkit.FakeDnsServer;
import org.mailsetup.testkit.ScriptedMailServer;

/**
 * Fires N cold lookups at once, each for its own domain, against servers that never answer: a fake DNS on
 * loopback whose SRV and guessed names point at a silent server (accepts TCP, never speaks), with a share of
 * the DNS answers delayed. Prints, per round, how late the answers came after their deadline, the process's
 * peak RSS and the machine's load average, then a summary that says whether the promise was kept.
 *
 * <p>Arguments: {@code [lookups (1000)] [deadline ms (3000)] [rounds (3)]}.
 */
public final class DeadlineUnderLoad {

    private DeadlineUnderLoad() {
    }

    public static void main(String[] args) throws Exception {
        int lookups = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Duration deadline = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 3000);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long worstLate = Long.MIN_VALUE;
        List<Long> medians = new ArrayList<>();
        try (FakeDnsServer dns = new FakeDnsServer().start();
             ScriptedMailServer silent = ScriptedMailServer.builder().neverSpeak().start()) {
            for (int round = 0; round <= rounds; round++) {
                String zone = "r" + round + ".load.test";
                for (int i = 0; i < lookups; i++) {
                    String d = "d" + i + "." + zone;
                    dns.mx(d, 10, "mx." + d).a("imap." + d, "127.0.0.1").a("smtp." + d, "127.0.0.1")
                            .srv("_imaps._tcp." + d, 0, 1, silent.port(), "imap." + d)
                            .srv("_submissions._tcp." + d, 0, 1, silent.port(), "smtp." + d);
                    if (i % 4 == 0) {
                        // A slow resolver for a quarter of the domains: their MX answer takes most of the time.
                        dns.delay(d, deadline.multipliedBy(3).dividedBy(4));
                    }
                }
                String loadBefore = loadAverage();
                try (MailSetup m = MailSetup.builder().dnsServer(dns.address()).allowNetwork("127.0.0.0/8")
                        .timeout(deadline).cache(0, Duration.ZERO).build()) {
                    long[] late = run(m, zone, lookups, deadline);
                    // Round 0 warms the JVM up and is not reported.
                    if (round > 0) {
                        report(round, lookups, deadline, late, loadBefore);
                        medians.add(late[late.length / 2]);
                        worstLate = Math.max(worstLate, late[late.length - 1]);
                    }
                }
                // DNS queries a lookup abandoned at its deadline keep their UDP socket until dnsjava's own
                // time-out (5 s); let them go, so that one round's leftovers do not count against the next.
                Thread.sleep(6_000);
            }
        }
        medians.sort(null);
        long rss = peakRssMb();
        boolean met = worstLate <= 50 && rss < 512;
        System.out.printf("summary: %d rounds of %d lookups, deadline %d ms: median lateness %d ms (median of the"
                        + " rounds' medians), max %d ms; peak RSS %d MB; load average now %s; promise (<= 50 ms"
                        + " late, < 512 MB) %s%n", rounds, lookups, deadline.toMillis(),
                medians.isEmpty() ? 0 : medians.get(medians.size() / 2), worstLate, rss, loadAverage(),
                met ? "MET" : "NOT MET");
    }

    private static long[] run(MailSetup m, String zone, int lookups, Duration deadline) {
        List<CompletableFuture<Long>> all = new ArrayList<>();
        for (int i = 0; i < lookups; i++) {
            long t0 = System.nanoTime();
            all.add(m.lookup("user@d" + i + "." + zone).thenApply((DiscoveryResult r) ->
                    (System.nanoTime() - t0) / 1_000_000 - deadline.toMillis()));
        }
        long[] late = all.stream().mapToLong(CompletableFuture::join).toArray();
        Arrays.sort(late);
        return late;
    }

    private static void report(int round, int lookups, Duration deadline, long[] late, String loadBefore)
            throws IOException {
        System.out.printf("round %d: %d lookups, deadline %d ms: after the deadline by median %d ms, p99 %d ms,"
                        + " max %d ms (min %d ms); peak RSS %d MB; load average %s before, %s after%n", round,
                lookups, deadline.toMillis(), late[late.length / 2], late[(int) (late.length * 0.99)],
                late[late.length - 1], late[0], peakRssMb(), loadBefore, loadAverage());
    }

    /** The machine's 1-minute load average (other processes compete for the same cores). */
    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /** VmHWM from /proc/self/status: the most resident memory the process has had. */
    private static long peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
