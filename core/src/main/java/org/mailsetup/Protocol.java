package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

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

    /** The config-v1.1 server {@code type} word: {@code imap}, {@code pop3} or {@code smtp}. */
    public String serverType() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a config-v1.1 server {@code type}, in any case; empty for a missing or unknown word. */
    public static Optional<Protocol> fromServerType(String word) {
        String w = word == null ? "" : word.strip().toLowerCase(Locale.ROOT);
        for (Protocol p : values()) {
            if (p.serverType().equals(w)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
