package org.mailsetup.internal.probe;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.mailsetup.Protocol;

/** The few commands a probe needs in one mail protocol. One instance per connection (IMAP tags count up). */
interface Dialect {

    /** What a server listed, as it listed it, plus the two facts the probe acts on. */
    record Capabilities(List<String> all, List<String> saslMechanisms, boolean startTls) {
        public Capabilities {
            all = List.copyOf(all);
            saslMechanisms = List.copyOf(saslMechanisms);
        }
    }

    /** Reads the greeting and returns its first line; fails on refusals and on PREAUTH. */
    String greeting(MailConnection c) throws ProbeFailure, IOException;

    Capabilities capabilities(MailConnection c) throws ProbeFailure, IOException;

    /** Sends STARTTLS (STLS) and reads the go-ahead; the caller then does the TLS handshake. */
    void startTls(MailConnection c) throws ProbeFailure, IOException;

    /** Says goodbye; the answer is read only to be polite, failures are ignored by the caller. */
    void quit(MailConnection c) throws ProbeFailure, IOException;

    static Dialect of(Protocol protocol) {
        return switch (protocol) {
            case IMAP -> new ImapDialect();
            case POP3 -> new Pop3Dialect();
            case SMTP -> new SmtpDialect();
        };
    }

    /** Server text made safe for reports and logs: control characters replaced, length capped. */
    static String clip(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        String t = s.strip();
        for (int i = 0; i < t.length() && b.length() < 200; i++) {
            char ch = t.charAt(i);
            b.append(Character.isISOControl(ch) ? '?' : ch);
        }
        return b.length() < t.length() ? b.append('…').toString() : b.toString();
    }

    /** Names the protocol a wrong greeting belongs to, so "unexpected greeting" says what was found. */
    static String guessProtocol(String line) {
        String l = line.toUpperCase(Locale.ROOT);
        if (l.startsWith("* OK") || l.startsWith("* PREAUTH") || l.startsWith("* BYE")) {
            return " (looks like IMAP)";
        }
        if (l.startsWith("+OK") || l.startsWith("-ERR")) {
            return " (looks like POP3)";
        }
        if (l.matches("^[2-5]\\d\\d[ -].*")) {
            return " (looks like SMTP)";
        }
        if (l.startsWith("HTTP/") || l.startsWith("SSH-")) {
            return " (looks like " + l.substring(0, l.indexOf(l.startsWith("HTTP/") ? '/' : '-')) + ")";
        }
        return "";
    }
}
