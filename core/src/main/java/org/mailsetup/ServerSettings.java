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
 */
@JsonPropertyOrder({"protocol", "host", "port", "security", "username", "auth", "trusted", "verified", "foundBy", "probe"})
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
        ProbeReport probe) {

    public ServerSettings {
        auth = List.copyOf(auth);
        foundBy = List.copyOf(foundBy);
    }

    /** The server this setting connects to. */
    public Endpoint endpoint() {
        return new Endpoint(protocol, host, port, security);
    }
}
