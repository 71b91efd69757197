package org.mailsetup.service.db;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mailsetup.providerdb.Diagnostic;
import org.mailsetup.providerdb.ProviderValidator;
import org.mailsetup.providerdb.ValidationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mailsetup db validate [DIR]}: schema and semantic checks, {@code file:line: error|warning: message}. */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        description = {"Check provider entries against the schema and the review rules.",
                "Checks values, ports and security, https links, and that no domain or MX pattern is",
                "claimed twice. Prints file:line: error|warning: message. Exit status 1 on any error."})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "DIR",
            description = "Directory of entry files (*.xml); default: the bundled database.")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ValidationReport report;
        try {
            report = dir == null ? new ProviderValidator().validateBundled() : new ProviderValidator().validate(dir);
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: cannot read " + dir + ": " + e.getMessage());
            return 1;
        }
        for (Diagnostic d : report.diagnostics()) {
            out.println(d);
        }
        out.println(report.summary());
        out.flush();
        return report.hasErrors() ? 1 : 0;
    }
}
