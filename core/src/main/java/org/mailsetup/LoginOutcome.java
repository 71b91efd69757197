package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a login check ended; the JSON names are the lower-case, hyphenated constant names. */
public enum LoginOutcome {
    /** The server accepted the credentials. */
    OK,
    /** Wrong username or password (or an invalid or expired token). */
    BAD_CREDENTIALS,
    /** The account needs an app-specific password instead of its usual one. */
    APP_PASSWORD_REQUIRED,
    /** The server takes only OAuth2 tokens, not passwords. */
    OAUTH_REQUIRED,
    /** IMAP, POP3 or SMTP access is switched off for this account (in its web settings, or by its admin). */
    SERVICE_DISABLED,
    /** Temporarily blocked, e.g. after too many attempts, or until the user signs in on the web once. */
    ACCOUNT_LOCKED,
    /** No mechanism the server offers fits the credential (e.g. a token, and the server offers only passwords). */
    MECHANISM_UNSUPPORTED,
    /** No validated TLS channel: the handshake, the certificate or STARTTLS failed, or the server has no TLS. */
    TLS_FAILURE,
    /** The host could not be reached (refused, unreachable, not allowed by the network policy) or hung up. */
    NETWORK_FAILURE,
    /** The server did not answer in time. */
    TIMEOUT,
    /** Anything else; the response says what the server said. */
    SERVER_ERROR;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * True for outcomes that are about the server, not the account: another server of the same account may
     * still work (TLS, network, time-out, no fitting mechanism).
     */
    public boolean aboutTheServer() {
        return this == TLS_FAILURE || this == NETWORK_FAILURE || this == TIMEOUT || this == MECHANISM_UNSUPPORTED;
    }
}
