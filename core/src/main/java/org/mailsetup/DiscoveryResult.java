package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Optional;

/**
 * The answer to one lookup: ranked settings, best first, with where each came from. Immutable.
 *
 * @param email    the address as given (normalised), or the raw input when it was invalid
 * @param domain   the email domain as an A-label, or null when the address was invalid
 * @param provider the provider identified, or null
 * @param contacts  CardDAV endpoints, best first (empty unless the lookup covered {@link Service#CONTACTS})
 * @param calendars CalDAV endpoints, best first (empty unless the lookup covered {@link Service#CALENDARS})
 * @param jmap      JMAP session URLs, best first (empty unless the lookup covered {@link Service#JMAP})
 * @param error    null on success
 */
@JsonPropertyOrder({"email", "domain", "provider", "incoming", "outgoing", "contacts", "calendars", "jmap", "sources",
        "warnings", "elapsedMs", "error"})
public record DiscoveryResult(
        String email,
        String domain,
        ProviderInfo provider,
        List<ServerSettings> incoming,
        List<ServerSettings> outgoing,
        List<ServiceSettings> contacts,
        List<ServiceSettings> calendars,
        List<ServiceSettings> jmap,
        List<SourceReport> sources,
        List<String> warnings,
        long elapsedMs,
        LookupError error) {

    public DiscoveryResult {
        incoming = List.copyOf(incoming);
        outgoing = List.copyOf(outgoing);
        contacts = contacts == null ? List.of() : List.copyOf(contacts);
        calendars = calendars == null ? List.of() : List.copyOf(calendars);
        jmap = jmap == null ? List.of() : List.copyOf(jmap);
        sources = List.copyOf(sources);
        warnings = List.copyOf(warnings);
    }

    /** A mail-only answer: no contacts, calendars or JMAP endpoints. */
    public DiscoveryResult(String email, String domain, ProviderInfo provider, List<ServerSettings> incoming,
                           List<ServerSettings> outgoing, List<SourceReport> sources, List<String> warnings,
                           long elapsedMs, LookupError error) {
        this(email, domain, provider, incoming, outgoing, List.of(), List.of(), List.of(), sources, warnings,
                elapsedMs, error);
    }

    /** The endpoints found for one service other than mail, best first. */
    public List<ServiceSettings> endpoints(Service service) {
        return switch (service) {
            case CONTACTS -> contacts;
            case CALENDARS -> calendars;
            case JMAP -> jmap;
            case MAIL -> throw new IllegalArgumentException("mail settings are incoming() and outgoing()");
        };
    }

    /** The best incoming server (IMAP or POP3), if any. */
    public Optional<ServerSettings> bestIncoming() {
        return incoming.stream().findFirst();
    }

    /** The best outgoing (SMTP) server, if any. */
    public Optional<ServerSettings> bestOutgoing() {
        return outgoing.stream().findFirst();
    }

    @JsonIgnore
    public boolean isSuccess() {
        return error == null;
    }

    /** The report of one source; every enabled or skipped source has one. */
    public Optional<SourceReport> source(SourceName name) {
        return sources.stream().filter(s -> s.name() == name).findFirst();
    }
}
