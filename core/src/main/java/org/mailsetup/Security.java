package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a connection is protected. The ranking's order of them is documented with the ranking (README). */
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
