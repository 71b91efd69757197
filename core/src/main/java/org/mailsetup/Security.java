package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** How a connection is protected. The ranking's order of them is documented with the ranking (README). */
public enum Security {
    /** Implicit TLS: the handshake starts as soon as the TCP connection is open. */
    TLS("SSL"),
    /** A plain connection upgraded with STARTTLS (IMAP, SMTP) or STLS (POP3). */
    STARTTLS("STARTTLS"),
    /** No encryption at all. Never presented as safe. */
    PLAIN("plain");

    private final String socketType;

    Security(String socketType) {
        this.socketType = socketType;
    }

    /** The config-v1.1 {@code socketType} word: {@code SSL}, {@code STARTTLS} or {@code plain}. */
    public String socketType() {
        return socketType;
    }

    /**
     * Reads a config-v1.1 {@code socketType}, in any case; {@code TLS} is read as {@code SSL}, as mail clients
     * do, and a missing (null or blank) one means plain. Empty for an unknown word.
     */
    public static Optional<Security> fromSocketType(String word) {
        String w = word == null ? "" : word.strip().toUpperCase(Locale.ROOT);
        return switch (w) {
            case "SSL", "TLS" -> Optional.of(TLS);
            case "STARTTLS" -> Optional.of(STARTTLS);
            case "PLAIN", "" -> Optional.of(PLAIN);
            default -> Optional.empty();
        };
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
