package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One way to reach an account's contacts (CardDAV), calendars (CalDAV) or JMAP session, as a client needs it.
 *
 * @param service  which service ({@link Service#CONTACTS}, {@link Service#CALENDARS} or {@link Service#JMAP})
 * @param url      the https URL to start from: the DAV context path (RFC 6764) or the JMAP session resource;
 *                 always https (a source's plain-http URL is upgraded first)
 * @param username the login name to use, placeholders already expanded
 * @param usernameTemplate the login name with config-v1.1 placeholders, as client formats serve it
 * @param auth     authentication methods in config-v1.1 vocabulary ({@code http-basic}, {@code OAuth2}, ...) as
 *                 the source gave them, else, when probed, the HTTP schemes the server offered
 * @param trusted  every source that named it is trusted (see README, "Trust and ranking")
 * @param verified a probe saw the service answer over a validated TLS channel
 * @param foundBy  the sources that named it
 * @param probe    what the probe saw, or null
 * @param notProbed why it was not probed, or null when it has a probe report
 */
@JsonPropertyOrder({"service", "url", "username", "usernameTemplate", "auth", "trusted", "verified", "foundBy",
        "probe", "notProbed"})
public record ServiceSettings(
        Service service,
        String url,
        String username,
        String usernameTemplate,
        List<String> auth,
        boolean trusted,
        boolean verified,
        List<SourceName> foundBy,
        ServiceProbeReport probe,
        String notProbed) {

    public ServiceSettings {
        Objects.requireNonNull(service, "service");
        if (service == Service.MAIL) {
            throw new IllegalArgumentException("mail settings are ServerSettings");
        }
        URI u = URI.create(Objects.requireNonNull(url, "url"));
        if (!"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("not an https URL: " + url);
        }
        auth = List.copyOf(auth);
        foundBy = List.copyOf(foundBy);
    }

    /** The host the URL names. */
    public String host() {
        return URI.create(url).getHost();
    }
}
