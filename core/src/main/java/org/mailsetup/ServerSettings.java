package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One way to reach a mail server, as a mail client needs it.
 *
 * @param username the login name to use, placeholders already expanded
 * @param auth     authentication methods in config-v1.1 vocabulary ({@code password-cleartext},
 *                 {@code password-encrypted}, {@code OAuth2}, ...), best first
 * @param trusted  every source that named it is trusted (see README, "Trust and ranking")
 * @param verified a probe spoke the protocol with it over a validated TLS channel
 * @param foundBy  the sources that named it
 * @param probe    what the probe saw, or null when it was not probed
 * @param notProbed why it was not probed (verification off, plain text, the probe limit, the deadline, a
 *                 better answer found first), or null when it was: an unverified setting always says why,
 *                 here or in {@code probe.failure}
 */
@JsonPropertyOrder({"protocol", "host", "port", "security", "username", "auth", "trusted", "verified", "foundBy", "probe",
        "notProbed"})
public record ServerSettings(
        Protocol protocol,
        String host,
        int port,
        Security security,
        String username,
        List<String> auth,
        boolean trusted,
        boolean verified,
        List<SourceName> foundBy,
        ProbeReport probe,
        String notProbed) {

    public ServerSettings {
        auth = List.copyOf(auth);
        foundBy = List.copyOf(foundBy);
    }

    /** A setting that was probed (or that nobody asked to probe: {@code notProbed} is null). */
    public ServerSettings(Protocol protocol, String host, int port, Security security, String username,
                          List<String> auth, boolean trusted, boolean verified, List<SourceName> foundBy,
                          ProbeReport probe) {
        this(protocol, host, port, security, username, auth, trusted, verified, foundBy, probe, null);
    }

    /** The server this setting connects to. */
    public Endpoint endpoint() {
        return new Endpoint(protocol, host, port, security);
    }
}
