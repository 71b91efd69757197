package org.mailsetup.internal.source.pacc;

import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code _ua-auto-config} TXT record: {@code v=UAAC1; a=sha256; d=<base64 SHA-256>}. Tags are
 * {@code ;}-separated {@code tag=value} pairs with optional white space around them; unknown tags are
 * ignored; a trailing {@code ;} is allowed.
 *
 * @param digest the 32-byte SHA-256 digest the record publishes
 */
record UaacRecord(byte[] digest) {

    /** A parsed record, or why the text is not one. */
    record Parsed(UaacRecord record, String problem) {
    }

    static Parsed parse(String text) {
        Map<String, String> tags = new HashMap<>();
        for (String part : text.split(";", -1)) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                return bad("'" + p + "' is not tag=value");
            }
            String tag = p.substring(0, eq).strip();
            String value = p.substring(eq + 1).strip();
            if (tags.putIfAbsent(tag, value) != null) {
                return bad("tag '" + tag + "' appears twice");
            }
        }
        String v = tags.get("v");
        if (v == null) {
            return bad("no v= tag");
        }
        if (!v.equals("UAAC1")) {
            return bad("version '" + v + "' is not UAAC1");
        }
        String a = tags.get("a");
        if (a == null) {
            return bad("no a= tag");
        }
        if (!a.toLowerCase(Locale.ROOT).equals("sha256")) {
            return bad("algorithm '" + a + "' is not sha256");
        }
        String d = tags.get("d");
        if (d == null || d.isEmpty()) {
            return bad("no d= tag");
        }
        byte[] digest;
        try {
            // White space inside the base64 value is tolerated (long values are sometimes wrapped).
            digest = Base64.getDecoder().decode(d.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            return bad("d= is not base64");
        }
        if (digest.length != 32) {
            return bad("d= is " + digest.length + " bytes, not a SHA-256 digest");
        }
        return new Parsed(new UaacRecord(digest), null);
    }

    private static Parsed bad(String why) {
        return new Parsed(null, why);
    }

    String base64() {
        return Base64.getEncoder().encodeToString(digest);
    }
}
