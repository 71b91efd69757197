package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a connection is protected. Declared best first: the ranking relies on this order. */
public enum Security {
    /** Implicit TLS: the handshake starts as soon as the TCP connection is open. */
    TLS,
    /** A plain connection upgraded with STARTTLS (IMAP, SMTP) or STLS (POP3). */
    STARTTLS,
    /** No encryption at all. Never presented as safe. */
    PLAIN;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
