package org.mailsetup.format;

/** Text as XML 1.0 can carry it: StAX writers escape markup but pass on characters the format forbids. */
final class XmlText {

    private XmlText() {
    }

    /**
     * {@code s} with every character outside XML 1.0's {@code Char} production (controls other than tab
     * and line breaks, unpaired surrogates, U+FFFE, U+FFFF) replaced by U+FFFD, so that echoing input
     * can never make a document that parsers reject.
     */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int n = Character.charCount(c);
            if (!allowed(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length()).append(s, 0, i);
                }
                b.append('\ufffd');
            } else if (b != null) {
                b.appendCodePoint(c);
            }
            i += n;
        }
        return b == null ? s : b.toString();
    }

    private static boolean allowed(int c) {
        return c == 0x9 || c == 0xa || c == 0xd || c >= 0x20 && c <= 0xd7ff || c >= 0xe000 && c <= 0xfffd
                || c >= 0x10000 && c <= 0x10ffff;
    }
}
