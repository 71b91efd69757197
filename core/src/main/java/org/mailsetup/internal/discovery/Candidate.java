package org.mailsetup.internal.discovery;

import java.util.List;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.SourceName;

/**
 * One server setting as one source proposed it, placeholders already expanded.
 *
 * @param auth    config-v1.1 authentication values, best first (may be empty)
 * @param trusted the source vouches for it (see README, "Trust and ranking")
 */
public record Candidate(Protocol protocol, String host, int port, Security security, String username,
                        List<String> auth, SourceName source, boolean trusted) {

    public Candidate {
        auth = List.copyOf(auth);
    }

    /** What makes two candidates the same server setting. */
    public Key key() {
        return new Key(protocol, host, port, security);
    }

    public record Key(Protocol protocol, String host, int port, Security security) {
        @Override
        public String toString() {
            return protocol.jsonName() + "://" + host + ":" + port + " (" + security.jsonName() + ")";
        }
    }
}
