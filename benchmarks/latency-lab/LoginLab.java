import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.mailsetup.Credentials;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.Endpoint;
import org.mailsetup.LoginCheck;
import org.mailsetup.LoginOptions;
import org.mailsetup.LoginReport;
import org.mailsetup.MailSetup;

/**
 * What a login check adds after discovery, in the latency lab (run by latency-lab.sh login, with the service jar
 * on the class path). Per iteration, with a new {@link MailSetup}: a cold {@code lookupAndCheck} of
 * alice@srv.lab (the lookup and both sign-ins, as an application calls it); then, on the same instance (its DNS
 * answers cached, every connection new, no TLS session resumption), a probe and a login check of the best
 * incoming and outgoing server one after the other, so that the login's cost beside the probe's is seen alone.
 */
public final class LoginLab {

    record Run(long lookupMs, long totalMs, long inLoginMs, long outLoginMs, long inProbeMs, long inCheckMs,
               long outProbeMs, long outCheckMs, String in, String out, String outcomes) {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            opt.put(argv[i].substring(2), argv[i + 1]);
        }
        int iterations = Integer.parseInt(opt.getOrDefault("iterations", "15"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "10"));
        double rtt = 2 * Double.parseDouble(opt.getOrDefault("delay-ms", "25"));
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < warmup + iterations; i++) {
            Run r = run(opt);
            System.err.printf(Locale.ROOT, "%s %02d: lookup %d ms, with sign-ins %d ms; %s%n",
                    i < warmup ? "warm-up" : "run", i + 1, r.lookupMs(), r.totalMs(), r.outcomes());
            if (i >= warmup) {
                runs.add(r);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d runs after %d warm-up runs; RTT %.0f ms; %s / %s%n%n", iterations, warmup,
                rtt, runs.getFirst().in(), runs.getFirst().out()));
        sb.append("| measure | median | min | max | median in RTTs |\n|---|---:|---:|---:|---:|\n");
        row(sb, "cold lookup (part of lookupAndCheck)", runs, Run::lookupMs, rtt);
        row(sb, "cold lookupAndCheck, both directions", runs, Run::totalMs, rtt);
        row(sb, "added by the sign-ins (total - lookup)", runs, r -> r.totalMs() - r.lookupMs(), rtt);
        row(sb, "incoming sign-in (report's elapsedMs)", runs, Run::inLoginMs, rtt);
        row(sb, "outgoing sign-in (report's elapsedMs)", runs, Run::outLoginMs, rtt);
        row(sb, "incoming: probe alone", runs, Run::inProbeMs, rtt);
        row(sb, "incoming: login check alone", runs, Run::inCheckMs, rtt);
        row(sb, "incoming: login check - probe", runs, r -> r.inCheckMs() - r.inProbeMs(), rtt);
        row(sb, "outgoing: probe alone", runs, Run::outProbeMs, rtt);
        row(sb, "outgoing: login check alone", runs, Run::outCheckMs, rtt);
        row(sb, "outgoing: login check - probe", runs, r -> r.outCheckMs() - r.outProbeMs(), rtt);
        Path out = Path.of(opt.getOrDefault("out", "login-run") + ".md");
        Files.writeString(out, sb);
        System.out.print(sb);
    }

    static Run run(Map<String, String> opt) throws Exception {
        MailSetup.Builder b = MailSetup.builder().timeout(Duration.ofSeconds(6)).dnsServer(opt.get("dns"))
                .allowNetwork(opt.get("allow")).caFile(Path.of(opt.get("ca"))).cache(0, Duration.ofSeconds(1));
        if (opt.containsKey("ispdb")) {
            b.ispdbUrl(java.net.URI.create(opt.get("ispdb")));
        }
        MailSetup m = b.build();
        String password = opt.get("password");
        long t0 = System.nanoTime();
        LoginCheck c = m.lookupAndCheckBlocking("alice@srv.lab", Credentials.password(null, password.toCharArray()));
        long total = ms(t0);
        DiscoveryResult r = c.lookup();
        if (c.incoming() == null || c.outgoing() == null) {
            throw new IllegalStateException("no verified server: " + r.error() + " " + r.incoming() + r.outgoing());
        }
        Endpoint in = c.incoming().endpoint();
        Endpoint out = c.outgoing().endpoint();
        long[] inPair = probeThenCheck(m, in, password);
        long[] outPair = probeThenCheck(m, out, password);
        // Not closed: a close right after the calls races the cache's maintenance (see LatencyLab).
        return new Run(r.elapsedMs(), total, c.incoming().elapsedMs(), c.outgoing().elapsedMs(), inPair[0], inPair[1],
                outPair[0], outPair[1], in.toString(), out.toString(),
                c.incoming().outcome().jsonName() + "/" + c.outgoing().outcome().jsonName());
    }

    static long[] probeThenCheck(MailSetup m, Endpoint e, String password) {
        long t0 = System.nanoTime();
        if (!m.probe(e).ok()) {
            throw new IllegalStateException("probe of " + e + " failed");
        }
        long probe = ms(t0);
        long t1 = System.nanoTime();
        LoginReport r = m.checkLoginBlocking(e, Credentials.password("alice@srv.lab", password.toCharArray()),
                LoginOptions.DEFAULTS);
        long check = ms(t1);
        if (!r.ok()) {
            throw new IllegalStateException("login at " + e + ": " + r);
        }
        return new long[] {probe, check};
    }

    static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    static void row(StringBuilder sb, String name, List<Run> runs, ToLongFunction<Run> f, double rtt) {
        long[] v = runs.stream().mapToLong(f).sorted().toArray();
        long median = v[v.length / 2];
        sb.append(String.format(Locale.ROOT, "| %s | %d ms | %d ms | %d ms | %.1f |%n", name, median, v[0],
                v[v.length - 1], median / rtt));
    }

    private LoginLab() {
    }
}
