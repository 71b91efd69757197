package org.mailsetup.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.mailsetup.ClientChoice;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.Protocol;
import org.mailsetup.ServerSettings;
import org.mailsetup.Service;
import org.mailsetup.ServiceSettings;

/**
 * The settings worth handing to a mail client that will use them without asking, per direction, in
 * core's ranking order, as core's {@link ClientChoice} chooses them (README, "Client formats": safe servers
 * only; the verified ones and their trusted siblings on the same host, else the trusted ones), and whether
 * they make a document a client accepts.
 *
 * @param excluded every server of the result that was left out, and why
 */
public record BestSettings(List<ServerSettings> incoming, List<ServerSettings> outgoing, List<Excluded> excluded) {

    /** A server a client is not given, and why. */
    public record Excluded(ServerSettings server, String reason) {
        @Override
        public String toString() {
            return server.protocol().jsonName() + " " + server.host() + ":" + server.port() + " ("
                    + server.security().jsonName() + "): " + reason;
        }
    }

    public BestSettings {
        incoming = List.copyOf(incoming);
        outgoing = List.copyOf(outgoing);
        excluded = List.copyOf(excluded);
    }

    public BestSettings(List<ServerSettings> incoming, List<ServerSettings> outgoing) {
        this(incoming, outgoing, List.of());
    }

    public static BestSettings of(DiscoveryResult result) {
        ClientChoice in = ClientChoice.of(result.incoming());
        ClientChoice out = ClientChoice.of(result.outgoing());
        List<Excluded> excluded = Stream.concat(in.leftOut().stream(), out.leftOut().stream())
                .map(l -> new Excluded(l.setting(), l.reason())).toList();
        return new BestSettings(in.chosen(), out.chosen(), excluded);
    }

    public boolean isEmpty() {
        return incoming.isEmpty() && outgoing.isEmpty();
    }

    /** Both directions have a server: the only kind of document a client accepts. */
    public boolean isComplete() {
        return !incoming.isEmpty() && !outgoing.isEmpty();
    }

    /**
     * Why the document would be incomplete: which direction has no server a client may use, and what was
     * left out there; empty when {@link #isComplete()}.
     */
    public Optional<String> missing() {
        List<String> parts = new ArrayList<>();
        if (incoming.isEmpty()) {
            parts.add(gap("incoming (IMAP or POP3)", true));
        }
        if (outgoing.isEmpty()) {
            parts.add(gap("outgoing (SMTP)", false));
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
    }

    private String gap(String direction, boolean isIncoming) {
        List<String> left = excluded.stream().filter(e -> e.server().protocol().isIncoming() == isIncoming)
                .map(Excluded::toString).toList();
        return left.isEmpty() ? "no " + direction + " server was found"
                : "no " + direction + " server a client may use: " + String.join(", ", left);
    }

    /**
     * The contacts, calendars or JMAP endpoint to hand a client, by the same rule as for mail: the best
     * verified one, else the best trusted one; none when neither exists (an endpoint only guessed and not
     * confirmed is never configured without asking).
     */
    public static Optional<ServiceSettings> endpoint(DiscoveryResult result, Service service) {
        List<ServiceSettings> found = result.endpoints(service);
        return found.stream().filter(ServiceSettings::verified).findFirst()
                .or(() -> found.stream().filter(ServiceSettings::trusted).findFirst());
    }

    /** The best server of this protocol. */
    public Optional<ServerSettings> best(Protocol protocol) {
        List<ServerSettings> list = protocol == Protocol.SMTP ? outgoing : incoming;
        return list.stream().filter(s -> s.protocol() == protocol).findFirst();
    }
}
