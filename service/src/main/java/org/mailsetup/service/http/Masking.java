package org.mailsetup.service.http;

/** What logs may say about an address: the domain, never the local part. */
public final class Masking {

    private Masking() {
    }

    /** {@code alice@example.org} → {@code a***@example.org}; anything unparsable → {@code <invalid>}. */
    public static String mask(String email) {
        if (email == null) {
            return "<none>";
        }
        int at = email.lastIndexOf('@');
        if (at <= 0 || at == email.length() - 1) {
            return "<invalid>";
        }
        String domain = email.substring(at + 1);
        // The domain comes from the client too: keep it printable and short so it cannot forge log lines.
        if (domain.length() > 253 || !domain.chars().allMatch(c -> c > 0x20 && c < 0x7f || c > 0xa0)) {
            return "<invalid>";
        }
        int first = email.codePointAt(0);
        String head = first > 0x20 && first < 0x7f ? Character.toString(first) : "";
        return head + "***@" + domain;
    }
}
