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
import org.mailsetup.internal.discovery.Candidate;

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
}
