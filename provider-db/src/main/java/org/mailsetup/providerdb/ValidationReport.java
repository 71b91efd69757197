package org.mailsetup.providerdb;

import java.util.List;

/**
 * The result of validating a set of entry files.
 *
 * @param files       how many files were checked
 * @param diagnostics every finding, sorted by file and line
 */
public record ValidationReport(int files, List<Diagnostic> diagnostics) {

    public ValidationReport {
        diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }

    public long errorCount() {
        return diagnostics.stream().filter(Diagnostic::isError).count();
    }

    public long warningCount() {
        return diagnostics.size() - errorCount();
    }

    public boolean hasErrors() {
        return errorCount() > 0;
    }

    /** E.g. {@code 170 files checked: 0 errors, 3 warnings}. */
    public String summary() {
        return files + (files == 1 ? " file" : " files") + " checked: " + errorCount()
                + (errorCount() == 1 ? " error, " : " errors, ") + warningCount()
                + (warningCount() == 1 ? " warning" : " warnings");
    }
}
