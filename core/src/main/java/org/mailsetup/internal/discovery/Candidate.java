package org.mailsetup.internal.discovery;

import java.util.List;
import org.mailsetup.Endpoint;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.SourceName;

/**
 * One server setting as one source proposed it, placeholders already expanded. Two candidates with the
 * same {@link Endpoint} are the same server setting.
 *
 * @param usernameTemplate the username as the source wrote it, placeholders kept; null when the source
 *                gave a literal one
 * @param auth    config-v1.1 authentication values, best first (may be empty)
 * @param trusted the source vouches for it (see README, "Trust and ranking")
 */
public record Candidate(Endpoint endpoint, String username, String usernameTemplate, List<String> auth,
                        SourceName source, boolean trusted) {

    public Candidate {
        auth = List.copyOf(auth);
    }

    /** A candidate whose source gave the username literally. */
    public Candidate(Protocol protocol, String host, int port, Security security, String username,
                     List<String> auth, SourceName source, boolean trusted) {
        this(protocol, host, port, security, username, null, auth, source, trusted);
    }

    public Candidate(Protocol protocol, String host, int port, Security security, String username,
                     String usernameTemplate, List<String> auth, SourceName source, boolean trusted) {
        this(new Endpoint(protocol, host, port, security), username, usernameTemplate, auth, source, trusted);
    }

    public Protocol protocol() {
        return endpoint.protocol();
    }

    public String host() {
        return endpoint.host();
    }

    public int port() {
        return endpoint.port();
    }

    public Security security() {
        return endpoint.security();
    }
}
