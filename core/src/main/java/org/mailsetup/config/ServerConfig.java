package org.mailsetup.config;

import java.util.List;
import org.mailsetup.EmailAddress;
import org.mailsetup.Protocol;
import org.mailsetup.Security;

/**
 * One server of a config-v1.1 document, with placeholders ({@code %EMAILADDRESS%},
 * {@code %EMAILLOCALPART%}, {@code %EMAILDOMAIN%}) not yet expanded.
 *
 * @param authentication config-v1.1 authentication values, in the document's order
 */
public record ServerConfig(
        Protocol protocol,
        String hostname,
        int port,
        Security security,
        String username,
        List<String> authentication) {

    public ServerConfig {
        authentication = List.copyOf(authentication);
    }

    /** The host name with placeholders expanded for this address. */
    public String hostnameFor(EmailAddress email) {
        return Placeholders.expand(hostname, email).toLowerCase(java.util.Locale.ROOT);
    }

    /** The username with placeholders kept; {@code %EMAILADDRESS%} when none is given. */
    public String usernameTemplate() {
        return username == null || username.isBlank() ? "%EMAILADDRESS%" : username;
    }

    /** The username with placeholders expanded for this address; the full address when none is given. */
    public String usernameFor(EmailAddress email) {
        return username == null || username.isBlank() ? email.address() : Placeholders.expand(username, email);
    }
}
