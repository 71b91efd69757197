package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One way to reach a mail server, as a mail client needs it.
 *
 * @param username the login name to use, placeholders already expanded
 * @param usernameTemplate the login name as the source gave it, with config-v1.1 placeholders
 *                 ({@code %EMAILADDRESS%}, {@code %EMAILLOCALPART%}, {@code %EMAILDOMAIN%}): right for every
 *                 address of the domain, as client formats serve it
 * @param auth     authentication methods in config-v1.1 vocabulary ({@code password-cleartext},
 *                 {@code password-encrypted}, {@code OAuth2}, ...), best first: as the source gave them, else, when
 *                 verified, as the server offered them
 * @param trusted  every source that named it is trusted (see README, "Trust and ranking")
 * @param verified a probe spoke the protocol with it over a validated TLS channel
 * @param foundBy  the sources that named it
 * @param probe    what the probe saw; for a setting that was not probed, why its host may not be dialled
 *                 (refused by the network policy, no such host), or null
 * @param notProbed why it was not probed (verification off, plain text, the probe limit, the deadline, a
 *                 better answer found first), or null when it has a probe report: an unverified setting always
 *                 says why, here or in {@code probe.failure}
 */
@JsonPropertyOrder({"protocol", "host", "port", "security", "username", "usernameTemplate", "auth", "trusted", "verified",
        "foundBy", "probe", "notProbed"})
public record ServerSettings(
        Protocol protocol,
        String host,
        int port,
        Security security,
        String username,
        String usernameTemplate,
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

    /** Settings that need no reason for a missing probe report ({@code notProbed} is null). */
    public ServerSettings(Protocol protocol, String host, int port, Security security, String username,
                          String usernameTemplate, List<String> auth, boolean trusted, boolean verified,
                          List<SourceName> foundBy, ProbeReport probe) {
        this(protocol, host, port, security, username, usernameTemplate, auth, trusted, verified, foundBy, probe, null);
    }

    /** Settings whose username is taken literally, for every address (no placeholders). */
    public ServerSettings(Protocol protocol, String host, int port, Security security, String username,
                          List<String> auth, boolean trusted, boolean verified, List<SourceName> foundBy,
                          ProbeReport probe) {
        this(protocol, host, port, security, username, username, auth, trusted, verified, foundBy, probe);
    }

    /** The server this setting connects to. */
    public Endpoint endpoint() {
        return new Endpoint(protocol, host, port, security);
    }
}
