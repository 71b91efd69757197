package org.mailsetup.internal.probe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** POP3 (RFC 1939) with CAPA (RFC 2449) and STLS (RFC 2595): greeting, CAPA, STLS, QUIT. */
final class Pop3Dialect implements Dialect {

    @Override
    public String greeting(MailConnection c) throws ProbeFailure, IOException {
        String line = c.readLine("the POP3 greeting");
        if (line.startsWith("+OK")) {
            return line;
        }
        if (line.startsWith("-ERR")) {
            throw ProbeFailure.inconclusive("server refused the connection: " + Dialect.clip(line));
        }
        throw new ProbeFailure("unexpected greeting for POP3" + Dialect.guessProtocol(line) + ": "
                + Dialect.clip(line));
    }

    @Override
    public Capabilities capabilities(MailConnection c) throws ProbeFailure, IOException {
        c.writeLine("CAPA");
        String status = c.readLine("the CAPA answer");
        if (status.startsWith("-ERR")) {
            // CAPA is optional (RFC 2449); without it nothing, STLS included, is advertised.
            return new Capabilities(List.of(), List.of(), false);
        }
        if (!status.startsWith("+OK")) {
            throw new ProbeFailure("unexpected answer to CAPA: " + Dialect.clip(status));
        }
        List<String> caps = new ArrayList<>();
        List<String> sasl = new ArrayList<>();
        boolean stls = false;
        while (true) {
            String line = c.readLine("the CAPA list");
            if (line.equals(".")) {
                break;
            }
            if (line.startsWith("..")) {
                line = line.substring(1);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            caps.add(line);
            String[] words = line.split(" +");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            stls |= keyword.equals("STLS");
            if (keyword.equals("SASL")) {
                for (int i = 1; i < words.length; i++) {
                    sasl.add(words[i].toUpperCase(Locale.ROOT));
                }
            }
        }
        return new Capabilities(caps, sasl, stls);
    }

    @Override
    public void startTls(MailConnection c) throws ProbeFailure, IOException {
        c.writeLine("STLS");
        String line = c.readLine("the STLS answer");
        if (!line.startsWith("+OK")) {
            throw new ProbeFailure("server refused STARTTLS (STLS): " + Dialect.clip(line));
        }
    }

    @Override
    public void quit(MailConnection c) throws ProbeFailure, IOException {
        c.writeLine("QUIT");
        c.readLine("the QUIT answer");
    }
}
