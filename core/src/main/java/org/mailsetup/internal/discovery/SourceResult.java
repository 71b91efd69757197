package org.mailsetup.internal.discovery;

import java.util.List;
import org.mailsetup.config.ClientConfig;

/**
 * What one source found.
 *
 * @param provider the provider entry it identified, or null
 * @param detail   a short human-readable note for the source report (where the answer came from), or null
 */
public record SourceResult(List<Candidate> candidates, ClientConfig provider, List<String> warnings, String detail) {

    public SourceResult {
        candidates = List.copyOf(candidates);
        warnings = List.copyOf(warnings);
    }

    public static SourceResult empty(String detail) {
        return new SourceResult(List.of(), null, List.of(), detail);
    }

    public static SourceResult of(List<Candidate> candidates, String detail) {
        return new SourceResult(candidates, null, List.of(), detail);
    }
}
