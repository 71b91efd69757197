package org.mailsetup.format;

import java.util.List;
import java.util.Optional;
import org.mailsetup.ClientChoice;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.Protocol;
import org.mailsetup.ServerSettings;

/**
 * The settings worth handing to a mail client that will use them without asking, as core's
 * {@link ClientChoice} chooses them: never plain-text servers; the verified ones when any server was
 * verified, else the trusted ones. The result keeps core's ranking order, best first.
 */
public record BestSettings(List<ServerSettings> incoming, List<ServerSettings> outgoing) {

    public BestSettings {
        incoming = List.copyOf(incoming);
        outgoing = List.copyOf(outgoing);
    }

    public static BestSettings of(DiscoveryResult result) {
        return new BestSettings(ClientChoice.of(result.incoming()).chosen(), ClientChoice.of(result.outgoing()).chosen());
    }

    public boolean isEmpty() {
        return incoming.isEmpty() && outgoing.isEmpty();
    }

    /** The best incoming server of this protocol. */
    public Optional<ServerSettings> best(Protocol protocol) {
        List<ServerSettings> list = protocol == Protocol.SMTP ? outgoing : incoming;
        return list.stream().filter(s -> s.protocol() == protocol).findFirst();
    }
}
