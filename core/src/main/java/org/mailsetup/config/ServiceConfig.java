package org.mailsetup.config;

import com.google.common.escape.Escaper;
import com.google.common.net.UrlEscapers;
import java.util.List;
import java.util.Objects;
import org.mailsetup.EmailAddress;
import org.mailsetup.Service;

/**
 * A contacts, calendars or JMAP endpoint of a config-v1.1 document ({@code <addressBook type="carddav">},
 * {@code <calendar type="caldav">}, {@code <ms:jmap>}), with placeholders not yet expanded.
 *
 * @param serverUrl      the {@code <serverURL>}: an absolute http(s) URL, maybe with placeholders
 * @param username       the {@code <username>}, or null
 * @param authentication authentication values ({@code http-basic}, {@code http-digest}, {@code OAuth2}), in the
 *                       document's order
 */
public record ServiceConfig(Service service, String serverUrl, String username, List<String> authentication) {

    public ServiceConfig {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(serverUrl, "serverUrl");
        if (service == Service.MAIL) {
            throw new IllegalArgumentException("mail servers are ServerConfigs");
        }
        authentication = List.copyOf(authentication);
    }

    /** The URL with placeholders expanded for this address, each value escaped as a URL path segment. */
    public String serverUrlFor(EmailAddress email) {
        Escaper e = UrlEscapers.urlPathSegmentEscaper();
        return serverUrl
                .replace("%EMAILADDRESS%", e.escape(email.address()))
                .replace("%EMAILLOCALPART%", e.escape(email.localPart()))
                .replace("%EMAILDOMAIN%", e.escape(email.domain()));
    }

    /** The username with placeholders kept; {@code %EMAILADDRESS%} when none is given. */
    public String usernameTemplate() {
        return username == null || username.isBlank() ? "%EMAILADDRESS%" : username;
    }

    /** The username with placeholders expanded for this address; the full address when none is given. */
    public String usernameFor(EmailAddress email) {
        return Placeholders.expand(usernameTemplate(), email);
    }
}
