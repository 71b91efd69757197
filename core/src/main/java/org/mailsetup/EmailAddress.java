package org.mailsetup;

import com.ibm.icu.text.IDNA;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A syntactically valid email address: a local part (RFC 5322 dot-atom or quoted string, UTF-8 allowed
 * as in RFC 6531, case kept) and a domain converted to its A-label form with UTS #46 (IDNA2008).
 */
public final class EmailAddress {

    private static final IDNA UTS46 = IDNA.getUTS46Instance(
            IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.NONTRANSITIONAL_TO_UNICODE
                    | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ | IDNA.USE_STD3_RULES);

    // atext of RFC 5322 plus any non-ASCII character (RFC 6531 UTF8-non-ascii).
    private static final Pattern DOT_ATOM =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\x{10FFFF}-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\x{10FFFF}-]+)*");
    // A quoted string: printable characters except " and \, or a backslash pair (no controls, no CR/LF).
    private static final Pattern QUOTED = Pattern.compile("\"([\\x20\\x21\\x23-\\x5b\\x5d-\\x7e\\u0080-\\x{10FFFF}]|\\\\[\\x20-\\x7e])*\"");
    private static final Pattern LDH_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    private final String localPart;
    private final String domain;
    private final String unicodeDomain;

    private EmailAddress(String localPart, String domain, String unicodeDomain) {
        this.localPart = localPart;
        this.domain = domain;
        this.unicodeDomain = unicodeDomain;
    }

    /**
     * Parses an address. Surrounding white space is ignored.
     *
     * @throws InvalidEmailException with a message that says what is wrong
     */
    public static EmailAddress parse(String input) {
        if (input == null) {
            throw new InvalidEmailException("no address given");
        }
        String s = input.strip();
        if (s.isEmpty()) {
            throw new InvalidEmailException("the address is empty");
        }
        int at = s.lastIndexOf('@');
        if (at < 0) {
            throw new InvalidEmailException("the address has no '@'");
        }
        String local = s.substring(0, at);
        String domainPart = s.substring(at + 1);
        if (local.isEmpty()) {
            throw new InvalidEmailException("the part before '@' is empty");
        }
        if (domainPart.isEmpty()) {
            throw new InvalidEmailException("the domain after '@' is empty");
        }
        if (!DOT_ATOM.matcher(local).matches() && !QUOTED.matcher(local).matches()) {
            throw new InvalidEmailException(local.chars().anyMatch(Character::isWhitespace)
                    ? "the part before '@' contains white space"
                    : "the part before '@' is not a valid local part");
        }
        if (local.getBytes(StandardCharsets.UTF_8).length > 64) {
            throw new InvalidEmailException("the part before '@' is longer than 64 octets");
        }
        if (domainPart.startsWith("[")) {
            throw new InvalidEmailException("IP address literals are not supported; give a domain name");
        }
        String ascii = toAscii(domainPart);
        if ((local.getBytes(StandardCharsets.UTF_8).length + 1 + ascii.length()) > 254) {
            throw new InvalidEmailException("the address is longer than 254 octets");
        }
        StringBuilder unicode = new StringBuilder();
        UTS46.nameToUnicode(ascii, unicode, new IDNA.Info());
        return new EmailAddress(local, ascii, unicode.toString());
    }

    private static String toAscii(String domainPart) {
        String d = domainPart.endsWith(".") ? domainPart.substring(0, domainPart.length() - 1) : domainPart;
        if (d.isEmpty() || d.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidEmailException("the domain '" + domainPart + "' is not a valid domain name");
        }
        IDNA.Info info = new IDNA.Info();
        StringBuilder out = new StringBuilder();
        UTS46.nameToASCII(d, out, info);
        if (info.hasErrors()) {
            throw new InvalidEmailException("the domain '" + domainPart + "' " + describe(info.getErrors()));
        }
        String ascii = out.toString().toLowerCase(java.util.Locale.ROOT);
        if (ascii.length() > 253) {
            throw new InvalidEmailException("the domain is longer than 253 characters");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw new InvalidEmailException("the domain '" + domainPart + "' is not a fully qualified domain name");
        }
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new InvalidEmailException("the domain '" + domainPart + "' has an empty label");
            }
            if (label.length() > 63) {
                throw new InvalidEmailException("the domain has a label longer than 63 characters");
            }
            if (!LDH_LABEL.matcher(label).matches()) {
                throw new InvalidEmailException("the domain label '" + label + "' is not a valid host name label");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw new InvalidEmailException("IP addresses are not supported; give a domain name");
        }
        return ascii;
    }

    private static String describe(java.util.Set<IDNA.Error> errors) {
        if (errors.contains(IDNA.Error.EMPTY_LABEL)) {
            return "has an empty label";
        }
        if (errors.contains(IDNA.Error.LABEL_TOO_LONG)) {
            return "has a label longer than 63 characters";
        }
        if (errors.contains(IDNA.Error.DOMAIN_NAME_TOO_LONG)) {
            return "is longer than 253 characters";
        }
        if (errors.contains(IDNA.Error.LEADING_HYPHEN) || errors.contains(IDNA.Error.TRAILING_HYPHEN)
                || errors.contains(IDNA.Error.HYPHEN_3_4)) {
            return "is not a valid domain name (a label starts or ends with '-')";
        }
        if (errors.contains(IDNA.Error.DISALLOWED)) {
            return "is not a valid domain name (it has a character not allowed in host names)";
        }
        return "is not a valid internationalised domain name " + errors;
    }

    /** The part before '@', exactly as given (case is kept: it may matter to the server). */
    public String localPart() {
        return localPart;
    }

    /** The domain in lower-case A-label (ASCII) form, without a trailing dot. */
    public String domain() {
        return domain;
    }

    /** The domain in U-label (Unicode) form, for display. */
    public String unicodeDomain() {
        return unicodeDomain;
    }

    /** The address with the A-label domain: the form used for lookups and usernames. */
    public String address() {
        return localPart + "@" + domain;
    }

    @Override
    public String toString() {
        return address();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmailAddress e && e.localPart.equals(localPart) && e.domain.equals(domain);
    }

    @Override
    public int hashCode() {
        return Objects.hash(localPart, domain);
    }
}
