package org.mailsetup.internal.probe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** IMAP4rev1/rev2 (RFC 3501, RFC 9051): greeting, CAPABILITY, STARTTLS, LOGOUT. */
final class ImapDialect implements Dialect {

    private int tag;
    /** Capabilities the greeting announced ({@code * OK [CAPABILITY ...]}), used once instead of asking. */
    private String greetingCapabilities;

    @Override
    public String greeting(MailConnection c) throws ProbeFailure, IOException {
        String line = c.readLine("the IMAP greeting");
        String upper = line.toUpperCase(Locale.ROOT);
        if (upper.startsWith("* OK")) {
            int start = upper.indexOf("[CAPABILITY ");
            int end = upper.indexOf(']', start + 1);
            if (start >= 0 && end > start) {
                greetingCapabilities = line.substring(start + "[CAPABILITY ".length(), end);
            }
            return line;
        }
        if (upper.startsWith("* PREAUTH")) {
            // A session that starts authenticated can never be upgraded: STARTTLS is only allowed
            // before authentication, so the client would talk in the clear (RFC 9051 section 6.2.1).
            throw new ProbeFailure("server greeted with PREAUTH (already authenticated, TLS can no longer be "
                    + "negotiated): " + Dialect.clip(line));
        }
        if (upper.startsWith("* BYE")) {
            throw ProbeFailure.inconclusive("server refused the connection: " + Dialect.clip(line));
        }
        throw new ProbeFailure("unexpected greeting for IMAP" + Dialect.guessProtocol(line) + ": "
                + Dialect.clip(line));
    }

    @Override
    public Capabilities capabilities(MailConnection c) throws ProbeFailure, IOException {
        List<String> caps = new ArrayList<>();
        if (greetingCapabilities != null) {
            // Saves a round trip (RFC 9051 section 7.1: the greeting may carry them). After STARTTLS they
            // are stale, so they serve once: the greeting's connection state only.
            addWords(caps, greetingCapabilities);
            greetingCapabilities = null;
            return judge(caps);
        }
        String t = send(c, "CAPABILITY");
        while (true) {
            String line = c.readLine("the CAPABILITY answer");
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("* CAPABILITY ")) {
                addWords(caps, line.substring("* CAPABILITY ".length()));
            } else if (upper.startsWith(t.toUpperCase(Locale.ROOT) + " ")) {
                if (!okStatus(t, upper)) {
                    throw new ProbeFailure("server refused CAPABILITY: " + Dialect.clip(line));
                }
                break;
            } else if (!upper.startsWith("* ")) {
                throw new ProbeFailure("unexpected answer to CAPABILITY: " + Dialect.clip(line));
            }
        }
        return judge(caps);
    }

    private static void addWords(List<String> caps, String words) {
        for (String word : words.trim().split(" +")) {
            if (!word.isEmpty() && !caps.contains(word)) {
                caps.add(word);
            }
        }
    }

    private static Capabilities judge(List<String> caps) throws ProbeFailure {
        boolean rev1 = false;
        boolean startTls = false;
        List<String> sasl = new ArrayList<>();
        for (String cap : caps) {
            String u = cap.toUpperCase(Locale.ROOT);
            rev1 |= u.equals("IMAP4REV1") || u.equals("IMAP4REV2");
            startTls |= u.equals("STARTTLS");
            if (u.startsWith("AUTH=") && u.length() > 5) {
                sasl.add(u.substring(5));
            }
        }
        if (!rev1) {
            throw new ProbeFailure("not an IMAP4 server: CAPABILITY lists neither IMAP4rev1 nor IMAP4rev2");
        }
        return new Capabilities(caps, sasl, startTls);
    }

    @Override
    public void startTls(MailConnection c) throws ProbeFailure, IOException {
        String t = send(c, "STARTTLS");
        while (true) {
            String line = c.readLine("the STARTTLS answer");
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith(t.toUpperCase(Locale.ROOT) + " ")) {
                if (!okStatus(t, upper)) {
                    throw new ProbeFailure("server refused STARTTLS: " + Dialect.clip(line));
                }
                return;
            }
            if (!upper.startsWith("* ")) {
                throw new ProbeFailure("unexpected answer to STARTTLS: " + Dialect.clip(line));
            }
        }
    }

    @Override
    public void quit(MailConnection c) throws ProbeFailure, IOException {
        String t = send(c, "LOGOUT");
        String upper;
        do {
            upper = c.readLine("the LOGOUT answer").toUpperCase(Locale.ROOT);
        } while (!upper.startsWith(t.toUpperCase(Locale.ROOT) + " "));
    }

    /** A fresh command tag, for commands sent by others over this connection. */
    String nextTag() {
        return "a" + (++tag);
    }

    private String send(MailConnection c, String command) throws IOException {
        String t = nextTag();
        c.writeLine(t + " " + command);
        return t;
    }

    private static boolean okStatus(String tag, String upperLine) {
        return upperLine.startsWith(tag.toUpperCase(Locale.ROOT) + " OK");
    }
}
