package org.mailsetup.internal.discovery;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.mailsetup.Service;
import org.mailsetup.SourceName;

/**
 * One contacts, calendars or JMAP endpoint as one source proposed it, placeholders expanded. Two candidates of
 * the same service with the same URL are the same endpoint.
 *
 * @param url              an https URL (a source upgrades a plain-http one first, and does not vouch for it)
 * @param usernameTemplate the username with placeholders, as the source wrote it
 * @param auth             config-v1.1 authentication values, best first (may be empty)
 * @param trusted          the source vouches for it (see README, "Trust and ranking")
 */
public record ServiceCandidate(Service service, String url, String username, String usernameTemplate,
                               List<String> auth, SourceName source, boolean trusted) {

    public ServiceCandidate {
        Objects.requireNonNull(service, "service");
        // The same rule as the result's ServiceSettings, so that a bad URL stops at its source, not in the answer.
        URI u = URI.create(url);
        if (!"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("a service candidate needs an https URL: " + url);
        }
        auth = List.copyOf(auth);
    }
}
