package org.mailsetup.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.providerdb.ProviderDatabase;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Lookups in the bundled provider database, and the cost of loading it. Keys are taken from the data
 * at set-up and cycled through (1024 of each kind), so the figures do not hinge on one hot key.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProviderIndexBenchmark {

    private static final int KEYS = 1024;
    private static final int MASK = KEYS - 1;

    private ProviderDatabase db;
    private final String[] domainHits = new String[KEYS];
    private final String[] domainMisses = new String[KEYS];
    private final String[] mxExactHits = new String[KEYS];
    private final String[] mxSuffixHits = new String[KEYS];
    private final String[] mxMisses = new String[KEYS];
    private int i;

    @Setup
    public void setUp() {
        db = ProviderDatabase.bundled();
        List<String> domains = new ArrayList<>();
        List<String> exact = new ArrayList<>();
        List<String> suffix = new ArrayList<>();
        for (ClientConfig c : db.entries()) {
            domains.addAll(c.domains());
            for (String p : c.mxHosts()) {
                if (p.startsWith("*.")) {
                    suffix.add("mx1" + p.substring(1)); // a host one label below the suffix
                } else {
                    exact.add(p);
                }
            }
        }
        if (domains.isEmpty() || exact.isEmpty() || suffix.isEmpty()) {
            throw new IllegalStateException("the bundled database lacks domains, exact or suffix MX patterns: " + db);
        }
        for (int k = 0; k < KEYS; k++) {
            domainHits[k] = domains.get(k % domains.size());
            domainMisses[k] = "customer" + k + ".example.org";
            mxExactHits[k] = exact.get(k % exact.size());
            mxSuffixHits[k] = suffix.get(k % suffix.size());
            // Four labels below a suffix nobody claims: the walk checks every one of them.
            mxMisses[k] = "mx" + k + ".in.mail.customer-hosting.example.net";
        }
        for (String d : domainHits) {
            check(db.byDomain(d).isPresent(), d);
        }
        for (int k = 0; k < KEYS; k++) {
            check(db.byMxHost(mxExactHits[k]).isPresent(), mxExactHits[k]);
            check(db.byMxHost(mxSuffixHits[k]).isPresent(), mxSuffixHits[k]);
            check(db.byDomain(domainMisses[k]).isEmpty(), domainMisses[k]);
            check(db.byMxHost(mxMisses[k]).isEmpty(), mxMisses[k]);
        }
    }

    private static void check(boolean ok, String key) {
        if (!ok) {
            throw new IllegalStateException("unexpected lookup result for " + key);
        }
    }

    @Benchmark
    public Optional<ClientConfig> byDomainHit() {
        return db.byDomain(domainHits[i++ & MASK]);
    }

    @Benchmark
    public Optional<ClientConfig> byDomainMiss() {
        return db.byDomain(domainMisses[i++ & MASK]);
    }

    @Benchmark
    public Optional<ClientConfig> byMxHostExactHit() {
        return db.byMxHost(mxExactHits[i++ & MASK]);
    }

    @Benchmark
    public Optional<ClientConfig> byMxHostSuffixHit() {
        return db.byMxHost(mxSuffixHits[i++ & MASK]);
    }

    @Benchmark
    public Optional<ClientConfig> byMxHostMiss() {
        return db.byMxHost(mxMisses[i++ & MASK]);
    }

    /** Reading the bundled entries (the build-time index) and building the maps: what the first lookup pays once. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public ProviderDatabase loadBundled() {
        return ProviderDatabase.loadBundledUncached();
    }
}
