package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A lookup followed by a login on its best verified incoming and outgoing server ({@link
 * MailSetup#lookupAndCheck}).
 *
 * @param lookup   the lookup's result, as {@link MailSetup#lookup(String)} gives it
 * @param incoming the login check of the incoming server, or null when the lookup verified none
 * @param outgoing the login check of the outgoing server, or null when the lookup verified none
 */
public record LoginCheck(DiscoveryResult lookup, LoginReport incoming, LoginReport outgoing) {

    /** Both directions signed in. */
    @JsonIgnore
    public boolean ok() {
        return incoming != null && incoming.ok() && outgoing != null && outgoing.ok();
    }
}
