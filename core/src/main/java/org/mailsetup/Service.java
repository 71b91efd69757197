package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * What an account offers besides sending and receiving mail, and mail itself: the services a lookup can
 * cover ({@link LookupOptions#services()}).
 */
public enum Service {
    /** IMAP, POP3 and SMTP: always looked up. */
    MAIL("mail", null),
    /** Address books over CardDAV (RFC 6352). */
    CONTACTS("contacts", "carddav"),
    /** Calendars over CalDAV (RFC 4791). */
    CALENDARS("calendars", "caldav"),
    /** JMAP (RFC 8620): one HTTPS session for mail, and contacts and calendars where offered. */
    JMAP("jmap", "jmap");

    private final String id;
    private final String protocol;

    Service(String id, String protocol) {
        this.id = id;
        this.protocol = protocol;
    }

    /** The name used in JSON, on the command line and in {@code ?services=}. */
    @JsonValue
    public String id() {
        return id;
    }

    /**
     * The protocol word of config-v1.1's {@code type} attribute and of PACC's members ({@code carddav},
     * {@code caldav}, {@code jmap}); null for mail.
     */
    public String protocol() {
        return protocol;
    }

    /** Parses {@link #id()} in any case ({@code mail}, {@code contacts}, {@code calendars}, {@code jmap}). */
    public static Service fromId(String id) {
        String w = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        for (Service s : values()) {
            if (s.id.equals(w)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown service '" + (id == null ? "" : id.strip())
                + "' (mail, contacts, calendars, jmap)");
    }

    /** Reads a protocol word ({@code carddav}, {@code caldav}, {@code jmap}), in any case. */
    public static Optional<Service> fromProtocol(String word) {
        String w = word == null ? "" : word.strip().toLowerCase(Locale.ROOT);
        for (Service s : values()) {
            if (s.protocol != null && s.protocol.equals(w)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
