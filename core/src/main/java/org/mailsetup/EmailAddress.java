package org.mailsetup;

import com.ibm.icu.text.IDNA;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A syntactically valid email address: a local part (RFC 5322 dot-atom or quoted string, UTF-8 allowed
 * as in RFC 6531, case kept) and a domain converted to its A-label form with UTS #46 (IDNA2008).
 *
 * <p>The lengths of RFC 5321 are checked before anything else, and the syntax is read by a single pass
 * over the characters (no regular expressions, no recursion), so parsing takes time linear in the input
 * and no input can exhaust the stack.
 */
public final class EmailAddress {

    /** RFC 5321 §4.5.3.1: the longest local part, address and domain label, in octets. */
    static final int MAX_LOCAL_OCTETS = 64;
    static final int MAX_ADDRESS_OCTETS = 254;
    static final int MAX_LABEL_OCTETS = 63;

    private static final IDNA UTS46 = IDNA.getUTS46Instance(
            IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.NONTRANSITIONAL_TO_UNICODE
                    | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ | IDNA.USE_STD3_RULES);

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
     * @throws InvalidEmailException with a message that says what is wrong; nothing else is thrown
     */
    public static EmailAddress parse(String input) {
        if (input == null) {
            throw new InvalidEmailException("no address given");
        }
        String s = input.strip();
        if (s.isEmpty()) {
            throw new InvalidEmailException("the address is empty");
        }
        // Every character takes at least one octet in any form of the address, so a longer input
        // cannot be valid; refusing it first bounds the work below.
        if (s.length() > MAX_ADDRESS_OCTETS * 2 || s.codePointCount(0, s.length()) > MAX_ADDRESS_OCTETS) {
            throw new InvalidEmailException("the address is longer than " + MAX_ADDRESS_OCTETS + " octets");
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
        int localOctets = local.getBytes(StandardCharsets.UTF_8).length;
        if (localOctets > MAX_LOCAL_OCTETS) {
            throw new InvalidEmailException("the part before '@' is longer than " + MAX_LOCAL_OCTETS + " octets");
        }
        String problem = local.charAt(0) == '"' ? checkQuoted(local) : checkDotAtom(local);
        if (problem != null) {
            throw new InvalidEmailException("the part before '@' " + problem);
        }
        if (domainPart.startsWith("[")) {
            throw new InvalidEmailException("IP address literals are not supported; give a domain name");
        }
        String ascii = toAscii(domainPart);
        if (localOctets + 1 + ascii.length() > MAX_ADDRESS_OCTETS) {
            throw new InvalidEmailException("the address is longer than " + MAX_ADDRESS_OCTETS + " octets");
        }
        StringBuilder unicode = new StringBuilder();
        UTS46.nameToUnicode(ascii, unicode, new IDNA.Info());
        return new EmailAddress(local, ascii, unicode.toString());
    }

    // atext of RFC 5322.
    private static boolean isAsciiAtext(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+/=?^_`{|}~-".indexOf(c) >= 0;
    }

    /**
     * RFC 6531 UTF8-non-ascii, less what no address needs and what would let an address forge or break
     * the text it is written into (logs, XML, CSV): C1 controls, white space and line separators,
     * unpaired surrogates and noncharacters (XML 1.0 cannot carry U+FFFE and U+FFFF).
     */
    private static boolean isUsableNonAscii(int c) {
        return c >= 0xa0 && !Character.isWhitespace(c) && !Character.isSpaceChar(c)
                && Character.getType(c) != Character.SURROGATE && Character.getType(c) != Character.CONTROL
                && !(c >= 0xfdd0 && c <= 0xfdef) && (c & 0xfffe) != 0xfffe;
    }

    /** A dot-atom: atoms of atext (or usable non-ASCII) joined by single dots; null when valid. */
    private static String checkDotAtom(String local) {
        boolean atomStarted = false;
        for (int i = 0; i < local.length(); ) {
            int c = local.codePointAt(i);
            i += Character.charCount(c);
            if (c == '.') {
                if (!atomStarted) {
                    return "is not a valid local part";
                }
                atomStarted = false;
            } else if (c < 0x80 ? isAsciiAtext(c) : isUsableNonAscii(c)) {
                atomStarted = true;
            } else {
                return Character.isWhitespace(c) || Character.isSpaceChar(c) ? "contains white space"
                        : "is not a valid local part";
            }
        }
        return atomStarted ? null : "is not a valid local part";
    }

    /** A quoted string: printable characters but '"' and '\', or a backslash pair; null when valid. */
    private static String checkQuoted(String local) {
        if (local.length() < 2 || local.charAt(local.length() - 1) != '"') {
            return "is not a valid local part";
        }
        int end = local.length() - 1;
        for (int i = 1; i < end; ) {
            int c = local.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\\') {
                if (i >= end || local.charAt(i) < 0x20 || local.charAt(i) > 0x7e) {
                    return "is not a valid local part";
                }
                i++;
            } else if (c == '"' || (c < 0x80 ? c < 0x20 || c == 0x7f : !isUsableNonAscii(c))) {
                return "is not a valid local part";
            }
        }
        return null;
    }

    private static String toAscii(String domainPart) {
        String d = domainPart.endsWith(".") ? domainPart.substring(0, domainPart.length() - 1) : domainPart;
        if (d.isEmpty() || d.chars().anyMatch(Character::isWhitespace) || d.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidEmailException("the domain '" + printable(domainPart) + "' is not a valid domain name");
        }
        for (String label : d.split("\\.", -1)) {
            // A label has at least as many octets in its A-label form as it has characters.
            if (label.codePointCount(0, label.length()) > MAX_LABEL_OCTETS) {
                throw new InvalidEmailException("the domain has a label longer than " + MAX_LABEL_OCTETS + " characters");
            }
        }
        IDNA.Info info = new IDNA.Info();
        StringBuilder out = new StringBuilder();
        try {
            UTS46.nameToASCII(d, out, info);
        } catch (RuntimeException e) {
            // ICU documents none, but a library's surprise must not become the caller's.
            throw new InvalidEmailException("the domain '" + printable(domainPart) + "' is not a valid internationalised domain name");
        }
        if (info.hasErrors()) {
            throw new InvalidEmailException("the domain '" + printable(domainPart) + "' " + describe(info.getErrors()));
        }
        String ascii = out.toString().toLowerCase(Locale.ROOT);
        if (ascii.length() > MAX_ADDRESS_OCTETS - 1) {
            throw new InvalidEmailException("the domain is longer than 253 characters");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw new InvalidEmailException("the domain '" + printable(domainPart) + "' is not a fully qualified domain name");
        }
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new InvalidEmailException("the domain '" + printable(domainPart) + "' has an empty label");
            }
            if (label.length() > MAX_LABEL_OCTETS) {
                throw new InvalidEmailException("the domain has a label longer than " + MAX_LABEL_OCTETS + " characters");
            }
            if (!isLdhLabel(label)) {
                throw new InvalidEmailException("the domain label '" + label + "' is not a valid host name label");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw new InvalidEmailException("IP addresses are not supported; give a domain name");
        }
        return ascii;
    }

    // A lower-case letter-digit-hyphen label that neither starts nor ends with '-'.
    private static boolean isLdhLabel(String label) {
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ld = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (!ld && (c != '-' || i == 0 || i == label.length() - 1)) {
                return false;
            }
        }
        return true;
    }

    // The domain as given, for a message: controls would break the line it is shown on.
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(c < 0x20 || c >= 0x7f && c < 0xa0 || !Character.isDefined(c)
                || Character.getType(c) == Character.SURROGATE ? '?' : c));
        return b.toString();
    }

    private static String describe(Set<IDNA.Error> errors) {
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
