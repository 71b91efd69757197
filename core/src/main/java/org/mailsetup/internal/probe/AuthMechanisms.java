package org.mailsetup.internal.probe;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mailsetup.Protocol;

/**
 * Translates what a server advertises into the authentication vocabulary of config-v1.1
 * ({@code password-cleartext}, {@code password-encrypted}, {@code OAuth2}, {@code NTLM}, {@code GSSAPI}).
 */
public final class AuthMechanisms {

    public static final String OAUTH2 = "OAuth2";
    public static final String PASSWORD_ENCRYPTED = "password-encrypted";
    public static final String PASSWORD_CLEARTEXT = "password-cleartext";
    public static final String NTLM = "NTLM";
    public static final String GSSAPI = "GSSAPI";

    /** Best first: a client should prefer tokens to challenge-response to sending the password itself. */
    private static final List<String> ORDER = List.of(OAUTH2, PASSWORD_ENCRYPTED, PASSWORD_CLEARTEXT);

    private AuthMechanisms() {
    }

    /**
     * SASL mechanism names (as advertised, any case) to config-v1.1 names, deduplicated, ordered OAuth2,
     * password-encrypted, password-cleartext, then the others in the order first seen. Unknown
     * mechanisms (EXTERNAL, ANONYMOUS, ...) are left out: a mail client cannot be configured for them.
     */
    public static List<String> toConfigNames(List<String> sasl) {
        return ordered(mapped(sasl));
    }

    /**
     * Config-v1.1 names for what a probe saw, counting the protocol's own password commands: IMAP
     * {@code LOGIN} unless the server says {@code LOGINDISABLED}, POP3 {@code USER}/{@code PASS} when
     * {@code USER} is advertised. SMTP has no password command besides SASL.
     */
    public static List<String> forServer(Protocol protocol, List<String> capabilities, List<String> sasl) {
        Set<String> found = mapped(sasl);
        boolean commandLogin = switch (protocol) {
            case IMAP -> !passwordLoginDisabled(protocol, capabilities);
            case POP3 -> hasCapability(capabilities, "USER");
            case SMTP -> false;
        };
        if (commandLogin) {
            found.add(PASSWORD_CLEARTEXT);
        }
        return ordered(found);
    }

    private static Set<String> mapped(List<String> sasl) {
        Set<String> found = new LinkedHashSet<>();
        for (String mech : sasl) {
            String name = configName(mech);
            if (name != null) {
                found.add(name);
            }
        }
        return found;
    }

    private static List<String> ordered(Set<String> found) {
        List<String> out = new ArrayList<>();
        for (String preferred : ORDER) {
            if (found.remove(preferred)) {
                out.add(preferred);
            }
        }
        out.addAll(found);
        return List.copyOf(out);
    }

    /**
     * True when an IMAP server refuses the LOGIN command ({@code LOGINDISABLED}, RFC 9051 section 6.2.3),
     * as servers do before STARTTLS; password login then works only through an advertised SASL mechanism.
     */
    public static boolean passwordLoginDisabled(Protocol protocol, List<String> capabilities) {
        return protocol == Protocol.IMAP && hasCapability(capabilities, "LOGINDISABLED");
    }

    private static boolean hasCapability(List<String> capabilities, String name) {
        for (String c : capabilities) {
            String word = c.strip();
            int space = word.indexOf(' ');
            if ((space < 0 ? word : word.substring(0, space)).equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static String configName(String mechanism) {
        String m = mechanism.strip().toUpperCase(Locale.ROOT);
        if (m.equals("PLAIN") || m.equals("LOGIN")) {
            return PASSWORD_CLEARTEXT;
        }
        if (m.equals("CRAM-MD5") || m.equals("DIGEST-MD5") || m.startsWith("SCRAM-")) {
            return PASSWORD_ENCRYPTED;
        }
        if (m.equals("XOAUTH2") || m.equals("OAUTHBEARER")) {
            return OAUTH2;
        }
        if (m.equals("NTLM")) {
            return NTLM;
        }
        if (m.equals("GSSAPI")) {
            return GSSAPI;
        }
        return null;
    }
}
