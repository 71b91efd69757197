package org.mailsetup.internal;

import com.google.common.net.InternetDomainName;
import java.util.Optional;
import org.mailsetup.config.HostNames;

/**
 * The registrable domain of a host name: the public suffix (by the bundled public-suffix list, ICANN and
 * private sections) plus one label. Where no rule of the list matches, as for TLDs newer than the list,
 * internal or lab TLDs, the list's default rule {@code *} applies: the suffix is the last label. The one
 * rule for every check of "the same domain owner" (MX inference, redirects, SRV targets).
 */
public final class RegistrableDomains {

    private RegistrableDomains() {
    }

    /**
     * The registrable domain of a valid host name, e.g. {@code example.co.uk} for {@code mx.example.co.uk},
     * {@code mailhost.corp} for {@code mx1.mailhost.corp}, {@code alice.github.io} for {@code
     * www.alice.github.io}; empty for a public suffix itself ({@code co.uk}, {@code github.io}) and for what
     * is not a valid host name (a bare TLD among them).
     */
    public static Optional<String> of(String host) {
        if (!HostNames.isValid(host) || !InternetDomainName.isValid(host)) {
            return Optional.empty();
        }
        InternetDomainName name = InternetDomainName.from(host);
        if (name.isUnderPublicSuffix()) {
            return Optional.of(name.topPrivateDomain().toString());
        }
        if (name.hasPublicSuffix()) {
            return Optional.empty(); // the name is a public suffix
        }
        // The default rule "*": the last label is the suffix, so the last two labels are registrable.
        int lastDot = host.lastIndexOf('.');
        int secondLastDot = host.lastIndexOf('.', lastDot - 1);
        return Optional.of(host.substring(secondLastDot + 1));
    }

    /**
     * True when the host is within the registrable domain of {@code domain} (or within {@code domain}
     * itself when it has none): both names belong to whoever registered that domain.
     */
    public static boolean sameOwner(String host, String domain) {
        return HostNames.isWithin(host, owner(domain));
    }

    /** The registrable domain of {@code domain}, or the domain itself when it has none. */
    public static String owner(String domain) {
        return of(domain).orElse(domain);
    }
}
