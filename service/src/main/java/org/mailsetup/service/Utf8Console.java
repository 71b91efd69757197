package org.mailsetup.service;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * UTF-8 in and out whatever the locale. Under the C/POSIX locale of systemd units, cron and many
 * containers the JVM decodes arguments as ASCII (an IDN address turns into '?') and encodes standard
 * output as ASCII; addresses and provider names are Unicode, so mailsetup speaks UTF-8 regardless.
 */
final class Utf8Console {

    private Utf8Console() {
    }

    /** Standard output and error as UTF-8 print streams (file.encoding is UTF-8 from JDK 18, stdout's is not). */
    static void useUtf8Output() {
        if (!isUtf8(System.getProperty("stdout.encoding"))) {
            System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
        }
        if (!isUtf8(System.getProperty("stderr.encoding"))) {
            System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        }
    }

    /**
     * The program's arguments decoded as UTF-8. When the JVM decoded them with a non-UTF-8 platform
     * encoding, the original bytes are read back from {@code /proc/self/cmdline} (Linux), whose last
     * entries are the arguments; elsewhere, or if that fails, the arguments are returned as given.
     */
    static String[] arguments(String[] args) {
        if (args.length == 0 || isUtf8(System.getProperty("sun.jnu.encoding"))) {
            return args;
        }
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            List<String> all = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < cmdline.length; i++) {
                if (cmdline[i] == 0) {
                    all.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (all.size() < args.length) {
                return args;
            }
            String[] utf8 = all.subList(all.size() - args.length, all.size()).toArray(String[]::new);
            // Only trust the bytes if they are the same arguments: the ASCII characters must agree.
            for (int i = 0; i < args.length; i++) {
                if (!ascii(utf8[i]).equals(ascii(args[i]))) {
                    return args;
                }
            }
            return utf8;
        } catch (IOException | RuntimeException e) {
            return args;
        }
    }

    private static String ascii(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().filter(c -> c < 0x7f && c != '?').forEach(c -> b.append((char) c));
        return b.toString();
    }

    private static boolean isUtf8(String charset) {
        try {
            return charset != null && Charset.forName(charset).equals(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
