package org.mailsetup.internal.probe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** SMTP submission (RFC 5321, RFC 6409, RFC 3207): greeting, EHLO, STARTTLS, QUIT. */
final class SmtpDialect implements Dialect {

    /**
     * The EHLO name: a fixed, reserved name (RFC 2606) so a probe reveals nothing about the machine
     * running it; servers only log it.
     */
    static final String EHLO_NAME = "mailsetup.invalid";

    /** An SMTP reply: one code, one or more text lines. */
    record Reply(int code, List<String> lines) {
        String first() {
            return code + (lines.get(0).isEmpty() ? "" : " " + lines.get(0));
        }
    }

    @Override
    public String greeting(MailConnection c) throws ProbeFailure, IOException {
        String first = c.readLine("the SMTP greeting");
        Reply r = readReply(c, first, "the SMTP greeting");
        if (r.code() == 220) {
            return first;
        }
        if (r.code() / 100 == 4 || r.code() / 100 == 5) {
            throw ProbeFailure.inconclusive("server refused the connection: " + Dialect.clip(r.first()));
        }
        throw new ProbeFailure("unexpected greeting for SMTP: " + Dialect.clip(first));
    }

    @Override
    public Capabilities capabilities(MailConnection c) throws ProbeFailure, IOException {
        c.writeLine("EHLO " + EHLO_NAME);
        Reply r = readReply(c, c.readLine("the EHLO answer"), "the EHLO answer");
        if (r.code() != 250) {
            throw new ProbeFailure("server refused EHLO: " + Dialect.clip(r.first()));
        }
        List<String> caps = new ArrayList<>();
        List<String> sasl = new ArrayList<>();
        boolean startTls = false;
        // The first line is the server's name and greeting text; keywords follow, one per line.
        for (String line : r.lines().subList(1, r.lines().size())) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            caps.add(l);
            String upper = l.toUpperCase(Locale.ROOT);
            startTls |= upper.equals("STARTTLS");
            // "AUTH=PLAIN LOGIN" is the pre-standard form some servers still send besides "AUTH PLAIN LOGIN".
            if (upper.startsWith("AUTH ") || upper.startsWith("AUTH=")) {
                for (String m : upper.substring(5).trim().split(" +")) {
                    if (!m.isEmpty() && !sasl.contains(m)) {
                        sasl.add(m);
                    }
                }
            }
        }
        return new Capabilities(caps, sasl, startTls);
    }

    @Override
    public void startTls(MailConnection c) throws ProbeFailure, IOException {
        c.writeLine("STARTTLS");
        Reply r = readReply(c, c.readLine("the STARTTLS answer"), "the STARTTLS answer");
        if (r.code() != 220) {
            throw new ProbeFailure("server refused STARTTLS: " + Dialect.clip(r.first()));
        }
    }

    @Override
    public void quit(MailConnection c) throws ProbeFailure, IOException {
        c.writeLine("QUIT");
        readReply(c, c.readLine("the QUIT answer"), "the QUIT answer");
    }

    /** Reads the rest of a (possibly multi-line, "250-...") reply whose first line is given. */
    static Reply readReply(MailConnection c, String firstLine, String what) throws ProbeFailure, IOException {
        List<String> lines = new ArrayList<>();
        String line = firstLine;
        int code = code(line, what);
        while (true) {
            if (code(line, what) != code) {
                throw new ProbeFailure("malformed SMTP reply in " + what + ": code changed within a reply: "
                        + Dialect.clip(line));
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(code, lines);
            }
            line = c.readLine(what);
        }
    }

    private static int code(String line, String what) throws ProbeFailure {
        if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' '
                && line.charAt(3) != '-')) {
            throw new ProbeFailure("unexpected answer in " + what + ", not an SMTP reply" + Dialect.guessProtocol(line) + ": "
                    + Dialect.clip(line));
        }
        return Integer.parseInt(line.substring(0, 3));
    }
}

