package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The discovery sources, each of which can be switched off in {@link MailSetup.Builder}. Listed most
 * authoritative first, the order in which the ranking breaks ties and picks the provider name (README,
 * "Trust and ranking"); the mail sources first, then those that look only for contacts, calendars and JMAP
 * (they run only in lookups that cover their service).
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
    GUESS("guess"),
    /** CalDAV by RFC 6764: SRV {@code _caldavs._tcp} (and {@code _caldav._tcp}), TXT {@code path}, {@code /.well-known/caldav}. */
    CALDAV("caldav", Service.CALENDARS),
    /** CardDAV by RFC 6764: SRV {@code _carddavs._tcp} (and {@code _carddav._tcp}), TXT {@code path}, {@code /.well-known/carddav}. */
    CARDDAV("carddav", Service.CONTACTS),
    /** JMAP by RFC 8620 §2.2: {@code /.well-known/jmap} on the domain and on the target of SRV {@code _jmap._tcp}. */
    JMAP("jmap", Service.JMAP);

    private final String id;
    private final Service service;

    SourceName(String id) {
        this(id, Service.MAIL);
    }

    SourceName(String id, Service service) {
        this.id = id;
        this.service = service;
    }

    /**
     * The service this source looks for: it runs only in lookups that cover it. Mail sources also propose the
     * contacts, calendars and JMAP endpoints their documents carry.
     */
    public Service service() {
        return service;
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
