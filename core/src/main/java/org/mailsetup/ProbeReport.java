package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * Evidence from a live connection to a server: what it said and how its TLS looked. A probe never
 * sends a password.
 *
 * @param ok                 the protocol answered correctly over a validated TLS channel
 * @param rttMs              milliseconds from connect to the first complete greeting
 * @param address            the IP address actually connected to
 * @param tlsVersion         negotiated TLS version, or null without TLS
 * @param cipherSuite        negotiated cipher suite, or null without TLS
 * @param certificateSubject subject of the server's leaf certificate
 * @param certificateIssuer  issuer of the server's leaf certificate
 * @param certificateExpires expiry of the leaf certificate, ISO-8601
 * @param certificateValid   chain and host name validated
 * @param greeting           the server's first line, trimmed
 * @param capabilities       capabilities as advertised (after STARTTLS where used)
 * @param authMechanisms     SASL mechanisms advertised (after STARTTLS where used)
 * @param authMethods        the ways to log in that the server offered, as config-v1.1 authentication values
 *                           ({@code OAuth2}, {@code password-encrypted}, {@code password-cleartext}, ...), best
 *                           first: its SASL mechanisms plus the protocol's own password command (IMAP
 *                           {@code LOGIN} unless {@code LOGINDISABLED}, POP3 {@code USER}); not part of the
 *                           JSON probe object (the setting's {@code auth} shows it)
 * @param failure            why the probe failed, or null
 * @param failureKind        what the failure says about the setting, or null when the probe succeeded
 */
@JsonPropertyOrder({"ok", "rttMs", "address", "tlsVersion", "cipherSuite", "certificateSubject", "certificateIssuer",
        "certificateExpires", "certificateValid", "greeting", "capabilities", "authMechanisms", "failure",
        "failureKind"})
public record ProbeReport(
        boolean ok,
        long rttMs,
        String address,
        String tlsVersion,
        String cipherSuite,
        String certificateSubject,
        String certificateIssuer,
        String certificateExpires,
        boolean certificateValid,
        String greeting,
        List<String> capabilities,
        List<String> authMechanisms,
        @JsonIgnore List<String> authMethods,
        String failure,
        FailureKind failureKind) {

    /** What a failed probe says about the setting: whether a mail client may still try it. */
    public enum FailureKind {
        /**
         * The setting is wrong or unsafe whoever tries it: invalid certificate, another protocol or plain text
         * on the port, PREAUTH, STARTTLS missing or injected, no such host.
         */
        CONCLUSIVE,
        /** The probe could not tell: a time-out, a refused or firewalled port, a DNS failure, a busy server. */
        INCONCLUSIVE,
        /** Every address of the host was refused by the network policy (loopback, private, ...): never dialled. */
        REFUSED;

        @JsonValue
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ProbeReport {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        authMechanisms = authMechanisms == null ? List.of() : List.copyOf(authMechanisms);
        authMethods = authMethods == null ? List.of() : List.copyOf(authMethods);
        if (failure != null && failureKind == null) {
            throw new IllegalArgumentException("a failed probe needs a failure kind");
        }
    }
}
