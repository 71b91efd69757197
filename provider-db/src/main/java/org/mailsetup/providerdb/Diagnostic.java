package org.mailsetup.providerdb;

import java.util.Comparator;
import java.util.Locale;

/**
 * One finding of the validator, printed as {@code file:line: error|warning: message}.
 *
 * @param file    the file as the user named it
 * @param line    1-based line, or 0 when the finding is about the file as a whole
 */
public record Diagnostic(String file, int line, Severity severity, String message) {

    public enum Severity {
        /** The entry must not ship like this. */
        ERROR,
        /** Allowed, but a reviewer should look (plain-text connections, overlapping MX patterns). */
        WARNING;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final Comparator<Diagnostic> ORDER = Comparator.comparing(Diagnostic::file)
            .thenComparingInt(Diagnostic::line)
            .thenComparing(Diagnostic::severity)
            .thenComparing(Diagnostic::message);

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + severity.label() + ": " + message;
    }
}
