package org.mailsetup.internal.source;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mailsetup.EmailAddress;
import org.mailsetup.Endpoint;
import org.mailsetup.SourceName;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.HostNames;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.config.ServiceConfig;
import org.mailsetup.internal.discovery.Candidate;
import org.mailsetup.internal.discovery.ServiceCandidate;

/** Turns a config-v1.1 document into candidates for one address (shared by every config-based source). */
public final class ConfigCandidates {

    private ConfigCandidates() {
    }

    /**
     * Incoming servers first, then outgoing, each in the document's order; placeholders expanded;
     * duplicates (same protocol, host, port, security) kept once. A server whose host is not a valid
     * name after expansion is skipped with a warning added to {@code warnings}.
     */
    public static List<Candidate> of(ClientConfig config, EmailAddress email, SourceName source, boolean trusted,
                                     List<String> warnings) {
        List<Candidate> out = new ArrayList<>();
        Set<Endpoint> seen = new LinkedHashSet<>();
        List<ServerConfig> servers = new ArrayList<>(config.incoming());
        servers.addAll(config.outgoing());
        for (ServerConfig s : servers) {
            String host = HostNames.normalize(s.hostnameFor(email));
            if (!HostNames.isValid(host)) {
                warnings.add(s.protocol().jsonName() + " server '" + host + "' is not a valid host name; ignored");
                continue;
            }
            Candidate c = new Candidate(s.protocol(), host, s.port(), s.security(), s.usernameFor(email),
                    s.usernameTemplate(), s.authentication(), source, trusted);
            if (seen.add(c.endpoint())) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The document's contacts, calendars and JMAP endpoints, placeholders expanded, in the document's order. A
     * plain-http URL is upgraded to https and never trusted: a document cannot vouch for an unencrypted channel.
     */
    public static List<ServiceCandidate> services(ClientConfig config, EmailAddress email, SourceName source,
                                                  boolean trusted, List<String> warnings) {
        List<ServiceCandidate> out = new ArrayList<>();
        for (ServiceConfig s : config.services()) {
            String url = s.serverUrlFor(email);
            boolean plain = url.regionMatches(true, 0, "http://", 0, 7);
            if (plain) {
                url = "https://" + url.substring(7);
            } else if (url.regionMatches(true, 0, "https://", 0, 8)) {
                url = "https://" + url.substring(8);
            }
            try {
                out.add(new ServiceCandidate(s.service(), url, s.usernameFor(email), s.usernameTemplate(),
                        s.authentication(), source, trusted && !plain));
            } catch (IllegalArgumentException e) {
                warnings.add(s.service().id() + " URL '" + s.serverUrl() + "' is not usable for this address; ignored");
            }
        }
        return out;
    }
}
