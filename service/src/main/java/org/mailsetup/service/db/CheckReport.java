package org.mailsetup.service.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.providerdb.Provenance;
import org.mailsetup.providerdb.ProviderFile;
import org.mailsetup.service.db.CheckCommand.Line;
import org.mailsetup.service.db.CheckCommand.Status;

/** What {@code db check} concludes per entry: the report table, and the dates it may write. */
final class CheckReport {

    /** An entry's verdict over all of its servers. */
    enum Verdict {
        OK("ok"), AUTH_DRIFT("auth drift"), FAILED("failed");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    private CheckReport() {
    }

    /** Failed when any server failed; auth drift when any offers less than the entry lists; else ok. */
    static Verdict verdict(List<Line> lines) {
        if (lines.stream().anyMatch(l -> l.status() == Status.FAILED)) {
            return Verdict.FAILED;
        }
        return lines.stream().anyMatch(l -> l.status() == Status.AUTH_DIFFERS) ? Verdict.AUTH_DRIFT : Verdict.OK;
    }

    /** A Markdown table, one row per entry in the order checked, with what went wrong where. */
    static String table(List<ClientConfig> entries, Map<String, List<Line>> byEntry) {
        StringBuilder b = new StringBuilder("| entry | servers | result | details |\n|---|---|---|---|\n");
        int ok = 0;
        for (ClientConfig c : entries) {
            List<Line> lines = byEntry.getOrDefault(c.id(), List.of());
            if (lines.isEmpty()) {
                // A provider without mail-client access: nothing to probe (its bridge is on users' computers).
                b.append("| ").append(cell(c.id())).append(" | 0 | not probed | no mail-client access |\n");
                continue;
            }
            Verdict v = verdict(lines);
            ok += v == Verdict.OK ? 1 : 0;
            String details = lines.stream().filter(l -> l.status() != Status.OK)
                    .map(l -> l.protocol() + " " + l.host() + ":" + l.port() + ": " + l.detail())
                    .collect(Collectors.joining("; "));
            b.append("| ").append(cell(c.id())).append(" | ").append(lines.size()).append(" | ").append(v.text)
                    .append(" | ").append(cell(details)).append(" |\n");
        }
        return b.append('\n').append(entries.size()).append(entries.size() == 1 ? " entry" : " entries")
                .append(" checked: ").append(ok).append(" ok, ").append(entries.size() - ok).append(" not\n").toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace('\n', ' ');
    }

    /**
     * Writes date as {@code ms:lastVerified} into the file of every entry in dir whose servers were all
     * verified (a plain-text server answers, but is never verified); files of other entries are left as
     * they are.
     *
     * @return how many files were written
     */
    static int stampPassed(Path dir, Map<String, List<Line>> byEntry, LocalDate date) throws IOException {
        int n = 0;
        for (ProviderFile f : ProviderFile.readDirectory(dir)) {
            List<Line> lines = byEntry.get(f.stem());
            if (lines == null || lines.isEmpty() || !lines.stream().allMatch(l -> l.status() == Status.OK)) {
                continue;
            }
            byte[] stamped = Provenance.withLastVerified(f.content(), date);
            if (!date.equals(Provenance.of(new ProviderFile(f.name(), f.label(), stamped)).lastVerified())) {
                throw new IOException(f.label() + ": could not write ms:lastVerified");
            }
            Files.write(dir.resolve(f.name()), stamped);
            n++;
        }
        return n;
    }
}
