package org.mailsetup.internal.discovery;

import java.util.List;
import org.mailsetup.config.ClientConfig;

/**
 * How one source ended: it found candidates, found nothing, failed, or ran out of time. Every outcome has a
 * short human-readable detail for the source report; warnings are passed on to the answer.
 */
public sealed interface SourceOutcome {

    /** Where the answer came from, or why there is none. */
    String detail();

    default List<Candidate> candidates() {
        return List.of();
    }

    /** Contacts, calendars and JMAP endpoints found on the way (kept only when the lookup covers them). */
    default List<ServiceCandidate> services() {
        return List.of();
    }

    /** The provider entry the source identified, or null. */
    default ClientConfig provider() {
        return null;
    }

    default List<String> warnings() {
        return List.of();
    }

    /** At least one candidate, of mail or of another service. */
    record Found(List<Candidate> candidates, List<ServiceCandidate> services, ClientConfig provider,
                 List<String> warnings, String detail) implements SourceOutcome {
        public Found {
            candidates = List.copyOf(candidates);
            services = List.copyOf(services);
            warnings = List.copyOf(warnings);
            if (candidates.isEmpty() && services.isEmpty()) {
                throw new IllegalArgumentException("found without candidates");
            }
        }

        public Found(List<Candidate> candidates, ClientConfig provider, List<String> warnings, String detail) {
            this(candidates, List.of(), provider, warnings, detail);
        }
    }

    /** The source asked and got a clear "nothing here". */
    record Empty(String reason, List<String> warnings) implements SourceOutcome {
        public Empty {
            warnings = List.copyOf(warnings);
        }

        @Override
        public String detail() {
            return reason;
        }
    }

    /** The source could not get an answer: a DNS failure, an error. */
    record Failed(String reason, List<String> warnings) implements SourceOutcome {
        public Failed {
            warnings = List.copyOf(warnings);
        }

        @Override
        public String detail() {
            return reason;
        }
    }

    /** The source was still waiting for an answer when the lookup's deadline came. */
    record TimedOut(String reason) implements SourceOutcome {
        @Override
        public String detail() {
            return reason;
        }
    }

    static SourceOutcome empty(String reason) {
        return new Empty(reason, List.of());
    }

    static SourceOutcome failed(String reason) {
        return new Failed(reason, List.of());
    }

    static SourceOutcome timedOut(String reason) {
        return new TimedOut(reason);
    }

    static SourceOutcome of(List<Candidate> candidates, String detail) {
        return of(candidates, null, List.of(), detail);
    }

    /** Found when there are candidates, otherwise empty with the same detail and warnings. */
    static SourceOutcome of(List<Candidate> candidates, ClientConfig provider, List<String> warnings, String detail) {
        return of(candidates, List.of(), provider, warnings, detail);
    }

    /** Found when there are candidates of any service, otherwise empty with the same detail and warnings. */
    static SourceOutcome of(List<Candidate> candidates, List<ServiceCandidate> services, ClientConfig provider,
                            List<String> warnings, String detail) {
        return candidates.isEmpty() && services.isEmpty() ? new Empty(detail, warnings)
                : new Found(candidates, services, provider, warnings, detail);
    }
}
