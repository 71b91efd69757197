package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The discovery sources, each of which can be switched off in {@link MailSetup.Builder}. Listed most
 * authoritative first, the order in which the ranking breaks ties and picks the provider name (README,
 * "Trust and ranking").
 */
public enum SourceName {
    /** The bundled, curated provider database (offline). */
    PROVIDER_DB("providerdb"),
    /** The IETF PACC document (draft-ietf-mailmaint-pacc). */
    PACC("pacc"),
    /** The domain's own autoconfig file (config-v1.1.xml). */
    AUTOCONFIG("autoconfig"),
    /** Thunderbird's online ISP database. */
    ISPDB("ispdb"),
    /** DNS SRV records (RFC 6186, RFC 8314). */
    SRV("srv"),
    /** The domain's MX hosts, mapped to the provider that runs them. */
    MX("mx"),
    /** Microsoft Autodiscover (POX, unauthenticated). */
    AUTODISCOVER("autodiscover"),
    /** Well-known host names guessed from the domain. */
    GUESS("guess");

    private final String id;

    SourceName(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** Parses the identifier used in JSON and on the command line ({@code providerdb}, {@code srv}, ...). */
    public static SourceName fromId(String id) {
        for (SourceName s : values()) {
            if (s.id.equalsIgnoreCase(id.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown source '" + id + "'");
    }
}
