import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.MailSetup;
import org.mailsetup.ServerSettings;
import org.mailsetup.Service;
import org.mailsetup.SourceReport;

/**
 * The latency lab's measuring harness (run by benchmarks/latency-lab/latency-lab.sh, with the service jar on the class path).
 *
 * <p>Every lookup is cold: a new {@link MailSetup} (own DNS client, HTTP client, TLS contexts, empty cache)
 * built before the clock starts. The JVM itself is warmed first with lookups of warm.lab, which exercises
 * SRV, autoconfig, guessing and every probe kind, so that class loading and JIT are not what is measured.
 * Kinds are measured round robin (srv, autoconfig, guess, blackhole, srv, ...) so that drift hits all alike.
 *
 * <p>With --capture DIR, the first lookup of each kind is also recorded with tcpdump on the host end of the
 * veth (the client's view: packets leave undelayed and come back after the full round trip), and the
 * client's sending "waves" are counted: packets the client sends more than half a round trip after its
 * previous packet start a new wave. Sequential steps (DNS, then TCP, then TLS...) are one wave each, parallel
 * ones share a wave, so the wave count is the number of round trips the lookup actually took.
 */
public final class LatencyLab {

    /** The fewest round trips the protocols allow for a verified answer, per kind; see the results file. */
    static final Map<String, Integer> MIN_RTTS = Map.of("srv", 6, "srv+all", 6, "autoconfig", 9, "guess", 5,
            "tarpit", 8);
    /**
     * What a silent implicit-TLS port may cost beyond the working path: the probes' answer time (how long a
     * server that accepted TCP may stay silent).
     */
    static final long SILENT_BUDGET_MS = 3000;
    static final Map<String, String> MIN_PATH = Map.of(
            "srv", "SRV, A, TCP, TLS 1.3, greeting, EHLO (SMTP on 465; IMAPS needs one less: "
                    + "the greeting carries CAPABILITY)",
            "autoconfig", "A autoconfig.<d>, TCP, TLS 1.3, GET; then A, TCP, TLS 1.3, greeting, EHLO",
            "guess", "A, TCP, TLS 1.3, greeting, EHLO (SRV and autoconfig say NXDOMAIN in parallel)",
            "srv+all", "as srv; contacts and calendars take SRV+TXT, A, TCP, TLS 1.3, OPTIONS (5 RTT), JMAP SRV, A, "
                    + "TCP, TLS 1.3, GET (5 RTT) plus the redirect to the session (1 RTT, same connection)",
            "blackhole", "none: nothing answers; the result is due at the deadline",
            "tarpit", "the STARTTLS path: SRV, A, TCP, greeting, CAPABILITY/EHLO, STARTTLS, TLS 1.3, "
                    + "CAPABILITY/EHLO; the tarpitted implicit-TLS ports, preferred, must first be given up");

    record Lookup(String kind, int iteration, long wallMs, long resultMs, String error, String bestIn,
                  String bestOut, int verified, int probed, List<SourceReport> sources, long startEpochMs,
                  long endEpochMs, Integer waves) {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].startsWith("--")) {
                opt.put(argv[i].substring(2), argv[++i]);
            } else {
                kinds.add(argv[i]);
            }
        }
        int iterations = Integer.parseInt(opt.getOrDefault("iterations", "15"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "10"));
        Duration timeout = parseDuration(opt.getOrDefault("timeout", "6s"));
        double delayMs = Double.parseDouble(opt.getOrDefault("delay-ms", "25"));
        double rttMs = 2 * delayMs;
        Path out = Path.of(opt.getOrDefault("out", "latency-run"));
        Path capture = opt.containsKey("capture") ? Path.of(opt.get("capture")) : null;
        CLIENT = opt.getOrDefault("client", CLIENT);

        for (int i = 0; i < warmup; i++) {
            // With srv+all measured, every other warm-up lookup runs it, so its HTTPS probes are warm too.
            Lookup l = lookup(opt, timeout, i % 2 == 1 && kinds.contains("srv+all") ? "srv+all" : "warm", i, null);
            System.err.printf(Locale.ROOT, "warm-up %d: %d ms%s%n", i + 1, l.wallMs(),
                    l.error() == null ? "" : " (" + l.error() + ")");
        }
        List<Lookup> all = new ArrayList<>();
        Path jsonl = Path.of(out + ".jsonl");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8))) {
            for (int i = 0; i < iterations; i++) {
                for (String kind : kinds) {
                    Path pcap = capture != null && i == 0 ? capture.resolve(kind + ".pcap") : null;
                    Lookup l = lookup(opt, timeout, kind, i, pcap);
                    if (pcap != null) {
                        l = withWaves(l, pcap, rttMs, capture.resolve(kind + ".waves.txt"));
                    }
                    all.add(l);
                    w.println(json(l));
                    w.flush();
                    System.err.printf(Locale.ROOT, "%-10s #%02d %5d ms  in=%s out=%s%s%n", kind, i + 1, l.wallMs(),
                            l.bestIn(), l.bestOut(), l.error() == null ? "" : "  error=" + l.error());
                }
            }
        }
        String summary = summary(all, kinds, timeout, rttMs, iterations, warmup);
        Files.writeString(Path.of(out + ".md"), summary);
        System.out.print(summary);
        OPEN.forEach(MailSetup::close);
    }

    static final List<MailSetup> OPEN = new ArrayList<>();
    /** The host end of the veth: the client's address in captures. */
    static String CLIENT = "10.99.0.1";

    static Lookup lookup(Map<String, String> opt, Duration timeout, String kind, int iteration, Path pcap)
            throws Exception {
        // "srv+all": the srv.lab domain, with contacts, calendars and JMAP looked up beside mail.
        String domain = kind.contains("+") ? kind.substring(0, kind.indexOf('+')) : kind;
        MailSetup.Builder b = MailSetup.builder()
                .timeout(timeout)
                .dnsServer(opt.get("dns"))
                .allowNetwork(opt.get("allow"))
                .caFile(Path.of(opt.get("ca")))
                .cache(0, Duration.ofSeconds(1));
        if (kind.endsWith("+all")) {
            b.services(Service.values());
        }
        if (opt.containsKey("ispdb")) {
            b.ispdbUrl(java.net.URI.create(opt.get("ispdb")));
        }
        Process dump = pcap == null ? null : startCapture(opt.get("interface"), pcap);
        MailSetup ms = b.build();
        // Closed only at exit: closing right after a lookup races with the result cache's maintenance task,
        // which then logs a RejectedExecutionException from the shut-down executor (harmless, but noisy).
        OPEN.add(ms);
        try {
            String email = "alice@" + domain + ".lab";
            long startEpoch = System.currentTimeMillis();
            long t0 = System.nanoTime();
            DiscoveryResult r = ms.lookupBlocking(email);
            long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            long endEpoch = System.currentTimeMillis();
            int verified = 0;
            int probed = 0;
            for (ServerSettings s : concat(r.incoming(), r.outgoing())) {
                verified += s.verified() ? 1 : 0;
                probed += s.probe() != null ? 1 : 0;
            }
            return new Lookup(kind, iteration, wall, r.elapsedMs(), r.error() == null ? null : r.error().code().id(),
                    r.bestIncoming().map(LatencyLab::describe).orElse("-"),
                    r.bestOutgoing().map(LatencyLab::describe).orElse("-") + services(r), verified, probed, r.sources(),
                    startEpoch, endEpoch, null);
        } finally {
            if (dump != null) {
                Thread.sleep(300); // let the last packets in
                dump.destroy();
                dump.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** ", contacts+verified, ..." for the services other than mail the lookup found, else "". */
    static String services(DiscoveryResult r) {
        StringBuilder sb = new StringBuilder();
        for (Service s : List.of(Service.CONTACTS, Service.CALENDARS, Service.JMAP)) {
            r.endpoints(s).stream().findFirst().ifPresent(e -> sb.append(", ").append(s.id())
                    .append(e.verified() ? "+verified" : "").append(e.trusted() ? "+trusted" : ""));
        }
        return sb.toString();
    }

    static List<ServerSettings> concat(List<ServerSettings> a, List<ServerSettings> b) {
        List<ServerSettings> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static String describe(ServerSettings s) {
        return s.protocol().name().toLowerCase(Locale.ROOT) + "://" + s.host() + ":" + s.port() + "/"
                + s.security().name().toLowerCase(Locale.ROOT) + (s.verified() ? "+verified" : "")
                + (s.trusted() ? "+trusted" : "");
    }

    // ------------------------------------------------------------------ packet capture

    static Process startCapture(String iface, Path pcap) throws IOException, InterruptedException {
        Files.createDirectories(pcap.getParent());
        // --immediate-mode: otherwise packets wait in the kernel's ring block (up to a second) and a capture
        // stopped soon after a short lookup may be written empty.
        Process p = new ProcessBuilder("tcpdump", "-i", iface, "-nn", "--immediate-mode", "-U", "-w", pcap.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        // tcpdump says "listening on ..." once the capture is open.
        var err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream()));
        String line = err.readLine();
        if (line == null || !line.contains("listening")) {
            throw new IOException("tcpdump did not start: " + line);
        }
        Thread.sleep(100);

        Thread.ofVirtual().start(() -> {
            try {
                err.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
            }
        });
        return p;
    }

    /** Reads the capture back and counts the client's sending waves during the lookup. */
    static Lookup withWaves(Lookup l, Path pcap, double rttMs, Path report) throws Exception {
        Process p = new ProcessBuilder("tcpdump", "-r", pcap.toString(), "-nn", "-tt")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        p.waitFor();
        String client = CLIENT + ".";
        double gap = rttMs / 2;
        List<List<String>> waves = new ArrayList<>();
        List<Double> waveStart = new ArrayList<>();
        double last = -1e9;
        StringBuilder all = new StringBuilder();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length < 5) {
                continue;
            }
            double tMs = Double.parseDouble(f[0]) * 1000 - l.startEpochMs();
            all.append(String.format(Locale.ROOT, "%+8.1f ms  %s%n", tMs, line.substring(f[0].length() + 1)));
            if (tMs < -1 || tMs > l.endEpochMs() - l.startEpochMs() + 1 || !f[2].startsWith(client)
                    || !startsSomething(line)) {
                continue; // only what the client sent while the lookup ran, and no bare ACK or FIN
            }
            if (tMs - last > gap) {
                waves.add(new ArrayList<>());
                waveStart.add(tMs);
            }
            last = tMs;
            waves.getLast().add(flow(f[4]));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: lookup took %d ms; the client sent in %d waves (round trips)%n",
                l.kind(), l.wallMs(), waves.size()));
        for (int i = 0; i < waves.size(); i++) {
            Map<String, Long> c = waves.get(i).stream()
                    .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
            sb.append(String.format(Locale.ROOT, "  wave %2d at %+7.1f ms: %s%n", i + 1, waveStart.get(i), c));
        }
        sb.append("\nAll packets (time since the lookup started; client " + CLIENT + "):\n").append(all);
        Files.writeString(report, sb);
        return new Lookup(l.kind(), l.iteration(), l.wallMs(), l.resultMs(), l.error(), l.bestIn(), l.bestOut(),
                l.verified(), l.probed(), l.sources(), l.startEpochMs(), l.endEpochMs(), waves.size());
    }

    static final java.util.regex.Pattern TCP = java.util.regex.Pattern.compile("Flags \\[([^]]*)].* length (\\d+)");

    /**
     * A packet that asks for an answer: any UDP datagram (DNS), a SYN, or TCP with payload. Bare ACKs (delayed
     * ACKs come up to 40 ms late) and FINs answer or end something and would count as waves of their own.
     */
    static boolean startsSomething(String line) {
        var m = TCP.matcher(line);
        if (!m.find()) {
            return !line.contains(" Flags [");
        }
        return m.group(1).contains("S") || Integer.parseInt(m.group(2)) > 0;
    }

    /** "10.99.0.4.993:" -> "10.99.0.4:993". */
    static String flow(String dst) {
        String d = dst.endsWith(":") ? dst.substring(0, dst.length() - 1) : dst;
        int dot = d.lastIndexOf('.');
        return d.substring(0, dot) + ":" + d.substring(dot + 1);
    }

    // ------------------------------------------------------------------ output

    static String summary(List<Lookup> all, List<String> kinds, Duration timeout, double rttMs, int iterations,
                          int warmup) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d cold lookups per kind after %d warm-up lookups; RTT %.0f ms; "
                + "deadline %d ms%n%n", iterations, warmup, rttMs, timeout.toMillis()));
        sb.append("| kind | median | p90 | min | max | median in RTTs | minimum RTTs | ratio | waves (pcap) "
                + "| deadline kept | best incoming / outgoing (first lookup) |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (String kind : kinds) {
            List<Lookup> ls = all.stream().filter(l -> l.kind().equals(kind)).toList();
            long[] t = ls.stream().mapToLong(Lookup::wallMs).sorted().toArray();
            if (t.length == 0) {
                continue;
            }
            long median = percentile(t, 50);
            Integer min = MIN_RTTS.get(kind);
            long over = ls.stream().filter(l -> l.wallMs() > timeout.toMillis()).count();
            Integer waves = ls.stream().map(Lookup::waves).filter(w -> w != null).findFirst().orElse(null);
            sb.append(String.format(Locale.ROOT, "| %s | %d ms | %d ms | %d ms | %d ms | %.1f | %s | %s | %s | %s | %s / %s |%n",
                    kind, median, percentile(t, 90), t[0], t[t.length - 1], median / rttMs,
                    min == null ? "-" : min + " (" + Math.round(min * rttMs) + " ms)",
                    min == null ? "-" : String.format(Locale.ROOT, "%.2f", median / (min * rttMs)),
                    waves == null ? "-" : waves.toString(),
                    over == 0 ? "yes" : "no: " + over + "/" + t.length + " late, by up to "
                            + (t[t.length - 1] - timeout.toMillis()) + " ms",
                    ls.getFirst().bestIn(), ls.getFirst().bestOut()));
        }
        List<Lookup> tarpit = all.stream().filter(l -> l.kind().equals("tarpit")).toList();
        if (!tarpit.isEmpty()) {
            long[] t = tarpit.stream().mapToLong(Lookup::wallMs).sorted().toArray();
            long target = Math.round(1.5 * MIN_RTTS.get("tarpit") * rttMs) + SILENT_BUDGET_MS;
            long verifiedStartTls = tarpit.stream().filter(l -> l.bestIn().contains("/starttls+verified")
                    && l.bestOut().contains("/starttls+verified")).count();
            sb.append(String.format(Locale.ROOT, "%nTarpit: target <= 1.5 x %d RTT + %d ms silent-server budget = %d ms;"
                            + " median %d ms, max %d ms: %s; STARTTLS answer in both directions in %d of %d lookups%n",
                    MIN_RTTS.get("tarpit"), SILENT_BUDGET_MS, target, percentile(t, 50), t[t.length - 1],
                    t[t.length - 1] <= target ? "met" : percentile(t, 50) <= target ? "met at the median" : "not met",
                    verifiedStartTls, t.length));
        }
        sb.append("\nMedian time at which each source reported (ms; status of the first lookup):\n\n");
        List<String> names = all.stream().flatMap(l -> l.sources().stream()).map(s -> s.name().id()).distinct().toList();
        sb.append("| kind | ").append(String.join(" | ", names)).append(" |\n");
        sb.append("|---|").append("---|".repeat(names.size())).append('\n');
        for (String kind : kinds) {
            List<Lookup> ls = all.stream().filter(l -> l.kind().equals(kind)).toList();
            if (ls.isEmpty()) {
                continue;
            }
            sb.append("| ").append(kind);
            for (String n : names) {
                long[] e = ls.stream().flatMap(l -> l.sources().stream()).filter(s -> s.name().id().equals(n))
                        .mapToLong(SourceReport::elapsedMs).sorted().toArray();
                String status = ls.getFirst().sources().stream().filter(s -> s.name().id().equals(n))
                        .map(s -> s.status().name().toLowerCase(Locale.ROOT)).findFirst().orElse(null);
                sb.append(" | ").append(status == null ? "-" : percentile(e, 50) + " " + status);
            }
            sb.append(" |\n");
        }
        sb.append("\nErrors: ");
        Map<String, Long> errors = all.stream().filter(l -> l.error() != null)
                .collect(Collectors.groupingBy(l -> l.kind() + ":" + l.error(), TreeMap::new, Collectors.counting()));
        sb.append(errors.isEmpty() ? "none" : errors.toString()).append('\n');
        return sb.toString();
    }

    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        // nearest rank
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String json(Lookup l) {
        String sources = l.sources().stream().map(s -> String.format(Locale.ROOT,
                "{\"name\":\"%s\",\"status\":\"%s\",\"elapsedMs\":%d}", s.name().id(),
                s.status().name().toLowerCase(Locale.ROOT), s.elapsedMs())).collect(Collectors.joining(","));
        return String.format(Locale.ROOT, "{\"kind\":\"%s\",\"iteration\":%d,\"wallMs\":%d,\"resultElapsedMs\":%d,"
                        + "\"error\":%s,\"bestIncoming\":\"%s\",\"bestOutgoing\":\"%s\",\"verified\":%d,\"probed\":%d,"
                        + "\"waves\":%s,\"sources\":[%s]}",
                l.kind(), l.iteration() + 1, l.wallMs(), l.resultMs(), l.error() == null ? "null" : "\"" + l.error() + "\"",
                l.bestIn(), l.bestOut(), l.verified(), l.probed(), l.waves(), sources);
    }

    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        return Duration.ofMillis(Long.parseLong(t));
    }

    private LatencyLab() {
    }
}
