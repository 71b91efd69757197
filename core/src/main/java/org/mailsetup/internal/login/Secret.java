package org.mailsetup.internal.login;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The secret of one check as bytes, and every form of it that went over the wire (the raw secret, base64
 * of it, base64 of each SASL message), so that an echo of any of them can be cut from what the server said.
 * Everything here is zeroed by {@link #close()}.
 */
final class Secret implements AutoCloseable {

    /** Shorter forms are not searched for: they would cut ordinary words. The whole answer is withheld instead. */
    static final int SHORTEST_REDACTABLE = 4;
    static final String REDACTED = "***";

    private final byte[] utf8;
    private final List<char[]> forms = new ArrayList<>();
    private final List<byte[]> sent = new ArrayList<>();
    private final boolean tooShort;

    Secret(char[] secret) {
        this.utf8 = utf8(secret);
        this.tooShort = secret.length < SHORTEST_REDACTABLE;
        forms.add(secret.clone());
        remember(utf8);
    }

    /** The secret in UTF-8; not a copy, zeroed by {@link #close()}. */
    byte[] bytes() {
        return utf8;
    }

    /** The secret's characters (a copy made here, zeroed by {@link #close()}). */
    char[] chars() {
        return forms.get(0);
    }

    /** Base64 of a message that carries the secret, remembered for redaction; zeroed by {@link #close()}. */
    byte[] base64(byte[] message) {
        byte[] b64 = Base64.getEncoder().encode(message);
        sent.add(b64);
        remember(message);
        return b64;
    }

    /** Bytes built here that carry the secret, to be zeroed with it. */
    byte[] keep(byte[] bytes) {
        sent.add(bytes);
        return bytes;
    }

    private void remember(byte[] message) {
        byte[] b64 = Base64.getEncoder().encode(message);
        char[] form = new char[b64.length];
        for (int i = 0; i < b64.length; i++) {
            form[i] = (char) b64[i];
        }
        Arrays.fill(b64, (byte) 0);
        forms.add(form);
    }

    /** The text with every form of the secret replaced by {@value #REDACTED}; null stays null. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        if (tooShort) {
            return "(the server's text is withheld: the credential is too short to be cut from it safely)";
        }
        // Longest first: a form can contain another (base64 of a SASL message ends in base64 of the password).
        List<char[]> longestFirst = new ArrayList<>(forms);
        longestFirst.sort((x, y) -> y.length - x.length);
        String out = text;
        for (char[] form : longestFirst) {
            out = cut(out, form);
        }
        return out;
    }

    private static String cut(String text, char[] form) {
        if (form.length == 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (regionMatches(text, i, form)) {
                b.append(REDACTED);
                i += form.length;
            } else {
                b.append(text.charAt(i++));
            }
        }
        return b.toString();
    }

    private static boolean regionMatches(String text, int at, char[] form) {
        if (at + form.length > text.length()) {
            return false;
        }
        for (int j = 0; j < form.length; j++) {
            if (text.charAt(at + j) != form[j]) {
                return false;
            }
        }
        return true;
    }

    /** Concatenation into a fresh array that is zeroed with the secret. */
    byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return keep(out);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** UTF-8 without a String in between, so nothing unzeroable holds the secret. */
    static byte[] utf8(char[] chars) {
        CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder();
        ByteBuffer buf;
        try {
            buf = enc.encode(CharBuffer.wrap(chars));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the credential is not valid Unicode (a lone surrogate)");
        }
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        if (buf.hasArray()) {
            Arrays.fill(buf.array(), (byte) 0);
        }
        return out;
    }

    @Override
    public void close() {
        Arrays.fill(utf8, (byte) 0);
        for (char[] f : forms) {
            Arrays.fill(f, '\0');
        }
        for (byte[] s : sent) {
            Arrays.fill(s, (byte) 0);
        }
    }
}
