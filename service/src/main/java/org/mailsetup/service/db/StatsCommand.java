package org.mailsetup.service.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ProviderNote;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.providerdb.Provenance;
import org.mailsetup.providerdb.ProviderDatabase;
import org.mailsetup.providerdb.ProviderDatabaseException;
import org.mailsetup.providerdb.ProviderFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mailsetup db stats [DIR]}: what the database covers. */
@Command(name = "stats",
        mixinStandardHelpOptions = true,
        description = {"Count providers, domains, MX-identified platforms, OAuth2 details, notes and socket security,",
                "entries by kind and by source, and how many carry a date of a passing live check and how old."})
final class StatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "Directory of entry files; default: the bundled database.")
    Path dir;

    @Option(names = "--json", description = "Print the figures as one JSON object.")
    boolean json;

    /**
     * The figures; maps are sorted by key. {@code entriesByKind}: {@code domains} (entries with email
     * domains and servers), {@code hosted} (found by MX only), {@code noClientAccess} (no servers for mail apps). {@code entriesBySource}: the strongest source
     * each entry names ({@code documentation}, {@code provider}, {@code reference}, {@code none}).
     * {@code verificationAges}: dated entries by the age of their date ({@code <90d}, {@code <1y}, {@code older}).
     */
    record Stats(int providers, int domains, int mxPlatforms, int mxPatterns, int withOAuth2, int withNotes,
                 Map<String, Integer> notesByType, Map<String, Integer> entriesByKind,
                 Map<String, Integer> entriesBySource, int unverified, int withAdded,
                 int withLastVerified, int withoutLastVerified, String oldestVerification,
                 Map<String, Integer> verificationAges,
                 Map<String, Integer> serversByProtocol, Map<String, Integer> serversBySecurity) {
    }

    static Stats compute(ProviderDatabase db, List<Provenance> provenance, LocalDate today) {
        int mxPlatforms = 0;
        int oauth = 0;
        int withNotes = 0;
        int verified = 0;
        int unverified = 0;
        LocalDate oldest = null;
        Map<String, Integer> notes = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        Map<String, Integer> sources = new TreeMap<>();
        Map<String, Integer> ages = new TreeMap<>();
        int added = 0;
        for (Provenance p : provenance) {
            Provenance.Kind k = p.strongest();
            sources.merge(k == null ? "none" : k.name().toLowerCase(Locale.ROOT), 1, Integer::sum);
            added += p.added() == null ? 0 : 1;
            if (p.lastVerified() != null) {
                long days = ChronoUnit.DAYS.between(p.lastVerified(), today);
                ages.merge(days < 90 ? "<90d" : days < 365 ? "<1y" : "older", 1, Integer::sum);
            }
        }
        Map<String, Integer> protocols = new TreeMap<>();
        Map<String, Integer> security = new TreeMap<>();
        for (ClientConfig c : db.entries()) {
            mxPlatforms += c.mxHosts().isEmpty() ? 0 : 1;
            oauth += c.oauth2() == null ? 0 : 1;
            withNotes += c.notes().isEmpty() ? 0 : 1;
            for (ProviderNote n : c.notes()) {
                notes.merge(n.type(), 1, Integer::sum);
            }
            unverified += c.notes().stream().anyMatch(n -> n.type().equals("unverified")) ? 1 : 0;
            kinds.merge(c.noClientAccess() != null ? "noClientAccess" : c.domains().isEmpty() ? "hosted" : "domains", 1,
                    Integer::sum);
            if (c.lastVerified() != null) {
                verified++;
                oldest = oldest == null || c.lastVerified().isBefore(oldest) ? c.lastVerified() : oldest;
            }
            for (ServerConfig s : (Iterable<ServerConfig>) Stream.concat(c.incoming().stream(), c.outgoing().stream())::iterator) {
                protocols.merge(s.protocol().jsonName(), 1, Integer::sum);
                security.merge(s.security().jsonName(), 1, Integer::sum);
            }
        }
        return new Stats(db.size(), db.domainCount(), mxPlatforms, db.mxPatternCount(), oauth, withNotes, notes,
                kinds, sources, unverified, added, verified, db.size() - verified,
                oldest == null ? null : oldest.toString(), ages, protocols, security);
    }

    @Override
    public Integer call() throws JsonProcessingException {
        ProviderDatabase db;
        try {
            db = Databases.open(dir, false);
        } catch (ProviderDatabaseException e) {
            return Databases.fail(e, spec.commandLine());
        }
        List<ProviderFile> files;
        try {
            files = dir == null ? ProviderFile.readBundled() : ProviderFile.readDirectory(dir);
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
        Stats s = compute(db, files.stream().map(Provenance::of).toList(), LocalDate.now(ZoneOffset.UTC));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(s));
            out.flush();
            return 0;
        }
        out.printf("providers                %d%n", s.providers());
        out.printf("email domains            %d%n", s.domains());
        out.printf("MX-identified platforms  %d (%d MX patterns)%n", s.mxPlatforms(), s.mxPatterns());
        out.printf("with OAuth2 details      %d%n", s.withOAuth2());
        out.printf("with notes               %d%s%n", s.withNotes(), s.notesByType().isEmpty() ? "" : " " + s.notesByType());
        out.printf("entries by kind          %s%n", s.entriesByKind());
        out.printf("entries by source        %s%n", s.entriesBySource());
        out.printf("marked unverified        %d%n", s.unverified());
        out.printf("with ms:added            %d%n", s.withAdded());
        out.printf("live-checked (dated)     %d%s, undated %d%n", s.withLastVerified(),
                s.oldestVerification() == null ? "" : " (oldest " + s.oldestVerification() + ", by age " + s.verificationAges() + ")",
                s.withoutLastVerified());
        int servers = s.serversBySecurity().values().stream().mapToInt(Integer::intValue).sum();
        out.printf("servers                  %d %s%n", servers, s.serversByProtocol());
        out.printf("by socket security       %s%n", percentages(s.serversBySecurity(), servers));
        out.flush();
        return 0;
    }

    private static String percentages(Map<String, Integer> counts, int total) {
        StringBuilder b = new StringBuilder();
        for (String key : new String[] {"tls", "starttls", "plain"}) {
            int n = Objects.requireNonNullElse(counts.get(key), 0);
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(key).append(' ').append(n);
            if (total > 0) {
                b.append(String.format(" (%.0f%%)", 100.0 * n / total));
            }
        }
        return b.toString();
    }
}
