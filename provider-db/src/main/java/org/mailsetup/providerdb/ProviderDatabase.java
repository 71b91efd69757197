package org.mailsetup.providerdb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailsetup.ProviderIndex;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.HostNames;
import org.mailsetup.config.InvalidConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of provider entries indexed for offline lookup: by email domain (exact match only; reducing
 * a host to its registrable domain is the caller's job) and by reviewed MX pattern (an exact host, or
 * {@code *.suffix} for any host below suffix). An MX lookup costs one hash probe per label of the host,
 * whatever the number of patterns. Immutable and thread-safe.
 */
public final class ProviderDatabase implements ProviderIndex {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderDatabase.class);

    /** In the order they were added: earlier entries won conflicts, which an overlay must preserve. */
    private final List<ClientConfig> entries;
    private final List<ClientConfig> sortedEntries;
    private final Map<String, ClientConfig> byId;
    private final Map<String, ClientConfig> byDomain;
    private final Map<String, MxMatch> mxExact;
    /** Keyed by the suffix without the leading {@code *.}. */
    private final Map<String, MxMatch> mxSuffix;

    private ProviderDatabase(Builder b) {
        this.entries = List.copyOf(b.entries);
        this.sortedEntries = b.entries.stream().sorted(Comparator.comparing(ClientConfig::id)).toList();
        this.byId = Map.copyOf(b.byId);
        this.byDomain = Map.copyOf(b.byDomain);
        this.mxExact = Map.copyOf(b.mxExact);
        this.mxSuffix = Map.copyOf(b.mxSuffix);
    }

    // ---- construction ----

    /**
     * The entries shipped in this module's jar, parsed once on first use (thread-safe: the JVM's
     * class initialisation guarantees a single load).
     */
    public static ProviderDatabase bundled() {
        return Bundled.INSTANCE;
    }

    private static final class Bundled {
        static final ProviderDatabase INSTANCE = loadBundled();
    }

    /**
     * Loads the bundled entries again, bypassing the shared instance of {@link #bundled()}: for
     * measuring start-up cost. Everything else should call {@link #bundled()}.
     */
    public static ProviderDatabase loadBundledUncached() {
        return loadBundled();
    }

    private static ProviderDatabase loadBundled() {
        long start = System.nanoTime();
        Builder b = new Builder(Conflicts.KEEP_FIRST);
        // The build parsed the XML entries into the index (and stops at an invalid one).
        for (ClientConfig c : BundledIndex.read()) {
            b.add(c, c.id());
        }
        ProviderDatabase db = new ProviderDatabase(b);
        LOG.debug("loaded {} bundled provider entries ({} domains) in {} ms", db.size(), db.domainCount(),
                (System.nanoTime() - start) / 1_000_000);
        return db;
    }

    /**
     * An operator's own directory of entries ({@code *.xml}, same format as the bundled ones). The
     * directory is validated first ({@link ProviderValidator#forOwnEntries()}); any error stops the load.
     *
     * @throws ProviderDatabaseException listing every error as {@code file:line: error: message}
     */
    public static ProviderDatabase load(Path dir) throws ProviderDatabaseException {
        List<ProviderFile> files;
        try {
            files = ProviderFile.readDirectory(dir);
        } catch (IOException e) {
            throw new ProviderDatabaseException("cannot read provider directory " + dir + ": " + e.getMessage(), e);
        }
        ValidationReport report = ProviderValidator.forOwnEntries().validate(files);
        if (report.hasErrors()) {
            throw new ProviderDatabaseException("provider directory " + dir + " has " + report.errorCount()
                    + " error(s)", report.errors().stream().map(Diagnostic::toString).toList());
        }
        report.warnings().forEach(w -> LOG.warn("{}", w));
        Builder b = new Builder(Conflicts.FAIL);
        for (ProviderFile f : files) {
            try {
                b.add(parse(f), f.label());
            } catch (InvalidConfigException e) {
                // The validator accepted it, so this would be a disagreement between validator and parser.
                throw new ProviderDatabaseException(f.label() + ": " + e.getMessage(), e);
            }
        }
        if (!b.conflicts.isEmpty()) {
            throw new ProviderDatabaseException("provider directory " + dir + " has conflicting entries", b.conflicts);
        }
        return new ProviderDatabase(b);
    }

    /**
     * A database of the given entries (for tests, benchmarks and callers that build entries in code).
     *
     * @throws IllegalArgumentException when two entries share an id, a domain or an MX pattern
     */
    public static ProviderDatabase of(Collection<ClientConfig> configs) {
        Builder b = new Builder(Conflicts.FAIL);
        for (ClientConfig c : configs) {
            b.add(c, c.id());
        }
        if (!b.conflicts.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", b.conflicts));
        }
        return new ProviderDatabase(b);
    }

    /**
     * The two databases as one: an entry of {@code top} replaces an entry of {@code base} with the same
     * id, and wins every domain and MX pattern both claim. Typical use: an operator's directory over
     * the bundled database.
     */
    public static ProviderDatabase overlay(ProviderDatabase top, ProviderDatabase base) {
        Builder b = new Builder(Conflicts.KEEP_FIRST);
        for (ClientConfig c : top.entries) {
            b.add(c, "overlay");
        }
        for (ClientConfig c : base.entries) {
            if (!top.byId.containsKey(c.id())) {
                b.add(c, "base");
            }
        }
        return new ProviderDatabase(b);
    }

    /**
     * Reads a local checkout of Thunderbird's ISPDB (a directory of config-v1.1 files). Files the parser
     * rejects are reported and left out; when two files list the same domain the first by file name wins.
     */
    public static IspdbImport importIspdb(Path dir) throws IOException {
        Builder b = new Builder(Conflicts.KEEP_FIRST);
        List<IspdbImport.FileOutcome> outcomes = new ArrayList<>();
        for (ProviderFile f : ProviderFile.readDirectory(dir)) {
            try {
                ClientConfigParser.Result r = ClientConfigParser.parse(f.content());
                ClientConfig c = withIdFallback(r.config(), f);
                b.add(c, f.name());
                outcomes.add(new IspdbImport.FileOutcome(f.name(), c, r.warnings(), null));
            } catch (InvalidConfigException e) {
                outcomes.add(new IspdbImport.FileOutcome(f.name(), null, List.of(), e.getMessage()));
            }
        }
        b.conflicts.forEach(c -> LOG.debug("ISPDB {}: {}", dir, c));
        return new IspdbImport(new ProviderDatabase(b), outcomes);
    }

    /** {@link #importIspdb(Path)} as a plain index, for use as an extra source at run time. */
    public static ProviderDatabase loadIspdb(Path dir) throws IOException {
        IspdbImport imported = importIspdb(dir);
        imported.files().stream().filter(f -> !f.accepted())
                .forEach(f -> LOG.warn("ISPDB file {} skipped: {}", f.file(), f.rejection()));
        return imported.database();
    }

    static ClientConfig parse(ProviderFile f) throws InvalidConfigException {
        return withIdFallback(ClientConfigParser.parse(f.content()).config(), f);
    }

    // An entry is found by its id in messages and overlays; a file without one is named after the file.
    private static ClientConfig withIdFallback(ClientConfig c, ProviderFile f) {
        if (c.id() != null) {
            return c;
        }
        return new ClientConfig(f.stem(), c.domains(), c.displayName(), c.displayShortName(), c.incoming(),
                c.outgoing(), c.documentation(), c.mxHosts(), c.notes(), c.lastVerified(), c.oauth2(),
                c.noClientAccess(), c.services());
    }

    // ---- lookups ----

    @Override
    public Optional<ClientConfig> byDomain(String asciiDomain) {
        if (asciiDomain == null) {
            return Optional.empty();
        }
        ClientConfig c = byDomain.get(asciiDomain);
        if (c == null) {
            // Callers should pass the normalised form; accept "Example.COM." too, at the cost of a copy.
            String n = HostNames.normalize(asciiDomain);
            c = n.equals(asciiDomain) ? null : byDomain.get(n);
        }
        return Optional.ofNullable(c);
    }

    @Override
    public Optional<ClientConfig> byMxHost(String mxHost) {
        return matchMx(mxHost).map(MxMatch::entry);
    }

    /**
     * The entry an MX host identifies and the pattern that matched. An exact pattern beats a suffix
     * pattern; among suffix patterns the longest (most specific) wins.
     */
    public Optional<MxMatch> matchMx(String mxHost) {
        if (mxHost == null) {
            return Optional.empty();
        }
        String host = isNormal(mxHost) ? mxHost : HostNames.normalize(mxHost);
        MxMatch exact = mxExact.get(host);
        if (exact != null) {
            return Optional.of(exact);
        }
        if (mxSuffix.isEmpty()) {
            return Optional.empty();
        }
        // "*.suffix" matches hosts strictly below suffix, so start after the first label.
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            MxMatch m = mxSuffix.get(host.substring(dot + 1));
            if (m != null) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static boolean isNormal(String host) {
        int n = host.length();
        if (n == 0 || host.charAt(n - 1) == '.') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char ch = host.charAt(i);
            if ((ch >= 'A' && ch <= 'Z') || Character.isWhitespace(ch)) {
                return false;
            }
        }
        return true;
    }

    /** The entry with this id. */
    public Optional<ClientConfig> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every entry, sorted by id. */
    public List<ClientConfig> entries() {
        return sortedEntries;
    }

    /** Number of entries. */
    public int size() {
        return entries.size();
    }

    /** Number of distinct email domains the entries claim. */
    public int domainCount() {
        return byDomain.size();
    }

    /** Number of distinct MX patterns (exact and suffix). */
    public int mxPatternCount() {
        return mxExact.size() + mxSuffix.size();
    }

    @Override
    public String toString() {
        return "ProviderDatabase[" + size() + " entries, " + domainCount() + " domains, "
                + mxPatternCount() + " MX patterns]";
    }

    // ---- index building ----

    private enum Conflicts { FAIL, KEEP_FIRST }

    private static final class Builder {
        final Conflicts policy;
        final List<ClientConfig> entries = new ArrayList<>();
        final Map<String, ClientConfig> byId = new LinkedHashMap<>();
        final Map<String, ClientConfig> byDomain = new HashMap<>();
        final Map<String, MxMatch> mxExact = new HashMap<>();
        final Map<String, MxMatch> mxSuffix = new HashMap<>();
        final Map<Object, String> origins = new HashMap<>();
        final List<String> conflicts = new ArrayList<>();

        Builder(Conflicts policy) {
            this.policy = policy;
        }

        void add(ClientConfig c, String origin) {
            if (c.id() == null || c.id().isBlank()) {
                throw new IllegalArgumentException(origin + ": entry has no id");
            }
            if (byId.putIfAbsent(c.id(), c) != null) {
                conflict("id '" + c.id() + "'", "id:" + c.id(), origin);
            }
            origins.putIfAbsent("id:" + c.id(), origin);
            entries.add(c);
            for (String d : c.domains()) {
                claim(byDomain, d, c, "domain '" + d + "'", "domain:" + d, origin);
            }
            for (String pattern : c.mxHosts()) {
                MxMatch m = new MxMatch(pattern, c);
                if (pattern.startsWith("*.")) {
                    claim(mxSuffix, pattern.substring(2), m, "MX pattern '" + pattern + "'", "mx:" + pattern, origin);
                } else {
                    claim(mxExact, pattern, m, "MX pattern '" + pattern + "'", "mx:" + pattern, origin);
                }
            }
        }

        private <V> void claim(Map<String, V> map, String key, V value, String what, String originKey, String origin) {
            V previous = map.putIfAbsent(key, value);
            if (previous == null) {
                origins.put(originKey, origin);
            } else if (previous != value && !sameEntry(previous, value)) {
                conflict(what, originKey, origin);
            }
        }

        private static boolean sameEntry(Object a, Object b) {
            return a instanceof MxMatch x && b instanceof MxMatch y && x.entry() == y.entry();
        }

        private void conflict(String what, String originKey, String origin) {
            String msg = what + " of " + origin + " is already claimed by " + origins.get(originKey);
            if (policy == Conflicts.FAIL) {
                conflicts.add(msg);
            } else {
                conflicts.add(msg + "; the first one is kept");
            }
        }
    }
}
