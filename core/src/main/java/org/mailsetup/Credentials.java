package org.mailsetup;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a user signs in with: a password or an OAuth2 access token, and the username. The secret is the
 * caller's own {@code char[]}, not a copy; {@link MailSetup#checkLogin} and {@link MailSetup#lookupAndCheck}
 * zero it when they are done, and so does {@link #close()}. A credential serves one check: it cannot be used
 * once zeroed. {@code toString} never shows the secret.
 */
public sealed interface Credentials extends AutoCloseable permits Credentials.Password, Credentials.OAuth2Token {

    /**
     * @param username the login name, or null to let {@link MailSetup#lookupAndCheck} take the one the answer
     *                 names (and its other form, once, if that is rejected)
     * @param password used as given and zeroed after the check
     */
    static Password password(String username, char[] password) {
        return new Password(username, password);
    }

    /**
     * @param username    the account the token was issued for, or null as for {@link #password}
     * @param accessToken an OAuth2 access token (the provider's {@code oauth2} details say how to get one),
     *                    used as given and zeroed after the check
     */
    static OAuth2Token oauth2(String username, char[] accessToken) {
        return new OAuth2Token(username, accessToken);
    }

    /** The login name, or null when the lookup's answer is to name it. */
    String username();

    /** The secret itself (not a copy), for the code that sends it. */
    char[] secret();

    /** Zeroes the secret; idempotent. */
    @Override
    void close();

    /** True once the secret has been zeroed. */
    boolean isClosed();

    /** A password, sent with the strongest password mechanism the server offers. */
    final class Password extends Secret implements Credentials {
        private Password(String username, char[] password) {
            super(username, password, "password");
        }
    }

    /** An OAuth2 access token, sent with OAUTHBEARER (RFC 7628) or XOAUTH2. */
    final class OAuth2Token extends Secret implements Credentials {
        private OAuth2Token(String username, char[] token) {
            super(username, token, "token");
        }
    }

    /** The shared state of both kinds: one place that holds, zeroes and hides the secret. */
    abstract sealed class Secret permits Password, OAuth2Token {
        private final String username;
        private final char[] secret;
        private final String what;
        private volatile boolean closed;

        Secret(String username, char[] secret, String what) {
            Objects.requireNonNull(secret, what);
            if (secret.length == 0) {
                throw new IllegalArgumentException("empty " + what);
            }
            if (username != null && (username.isBlank() || username.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
                throw new IllegalArgumentException("invalid username: blank or with control characters");
            }
            this.username = username;
            this.secret = secret;
            this.what = what;
        }

        public String username() {
            return username;
        }

        public char[] secret() {
            if (closed) {
                throw new IllegalStateException("this " + what + " was already used and zeroed; make new Credentials");
            }
            return secret;
        }

        public void close() {
            closed = true;
            Arrays.fill(secret, '\0');
        }

        public boolean isClosed() {
            return closed;
        }

        @Override
        public String toString() {
            return getClass().getSimpleName() + "[username=" + username + ", " + what + "=***]";
        }
    }
}
