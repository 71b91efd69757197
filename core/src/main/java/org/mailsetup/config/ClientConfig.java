package org.mailsetup.config;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.mailsetup.Service;

/**
 * A parsed config-v1.1 document (Mozilla autoconfig / ISPDB vocabulary) plus mailsetup's optional
 * extension elements (namespace {@value ClientConfigParser#EXTENSION_NAMESPACE}).
 *
 * @param id          the provider id ({@code emailProvider/@id})
 * @param domains     email domains the provider serves, lower case
 * @param incoming    IMAP and POP3 servers, in the document's order of preference
 * @param outgoing    SMTP servers, in the document's order of preference
 * @param mxHosts     reviewed MX host patterns: an exact host or {@code *.suffix}
 * @param lastVerified when a live check of every server last passed, or null
 * @param oauth2      OAuth2 details, or null
 * @param noClientAccess set when the provider gives mail apps no servers of its own (then there are none), or null
 * @param services    contacts, calendars and JMAP endpoints ({@code <addressBook>}, {@code <calendar>},
 *                    {@code <ms:jmap>}), in the document's order
 */
public record ClientConfig(
        String id,
        List<String> domains,
        String displayName,
        String displayShortName,
        List<ServerConfig> incoming,
        List<ServerConfig> outgoing,
        List<Documentation> documentation,
        List<String> mxHosts,
        List<ProviderNote> notes,
        LocalDate lastVerified,
        OAuth2Config oauth2,
        NoClientAccess noClientAccess,
        List<ServiceConfig> services) {

    /** An entry without contacts, calendars or JMAP endpoints. */
    public ClientConfig(String id, List<String> domains, String displayName, String displayShortName,
                        List<ServerConfig> incoming, List<ServerConfig> outgoing, List<Documentation> documentation,
                        List<String> mxHosts, List<ProviderNote> notes, LocalDate lastVerified, OAuth2Config oauth2,
                        NoClientAccess noClientAccess) {
        this(id, domains, displayName, displayShortName, incoming, outgoing, documentation, mxHosts, notes,
                lastVerified, oauth2, noClientAccess, List.of());
    }

    /** An entry with servers. */
    public ClientConfig(String id, List<String> domains, String displayName, String displayShortName,
                        List<ServerConfig> incoming, List<ServerConfig> outgoing, List<Documentation> documentation,
                        List<String> mxHosts, List<ProviderNote> notes, LocalDate lastVerified, OAuth2Config oauth2) {
        this(id, domains, displayName, displayShortName, incoming, outgoing, documentation, mxHosts, notes,
                lastVerified, oauth2, null);
    }

    public ClientConfig {
        domains = List.copyOf(domains);
        incoming = List.copyOf(incoming);
        outgoing = List.copyOf(outgoing);
        documentation = List.copyOf(documentation);
        mxHosts = List.copyOf(mxHosts);
        notes = List.copyOf(notes);
        services = List.copyOf(services);
    }

    /** The endpoints of one service, in the document's order. */
    public List<ServiceConfig> services(Service service) {
        return services.stream().filter(s -> s.service() == service).toList();
    }

    public Optional<OAuth2Config> oauth2Config() {
        return Optional.ofNullable(oauth2);
    }

    /** The name to show: display name, else short name, else id. */
    public String name() {
        if (displayName != null && !displayName.isBlank()) {
            return displayName;
        }
        return displayShortName != null && !displayShortName.isBlank() ? displayShortName : id;
    }
}
