package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonValue;

/** A mail protocol a client speaks to a server. */
public enum Protocol {
    IMAP(993, 143),
    POP3(995, 110),
    SMTP(465, 587);

    private final int tlsPort;
    private final int starttlsPort;

    Protocol(int tlsPort, int starttlsPort) {
        this.tlsPort = tlsPort;
        this.starttlsPort = starttlsPort;
    }

    /** The standard port for implicit TLS (RFC 8314). */
    public int tlsPort() {
        return tlsPort;
    }

    /** The standard port for STARTTLS (for SMTP: submission, RFC 6409). */
    public int starttlsPort() {
        return starttlsPort;
    }

    public boolean isIncoming() {
        return this != SMTP;
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
