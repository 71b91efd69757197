package org.mailsetup.service.db;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.providerdb.IspdbImport;
import org.mailsetup.providerdb.ProviderDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mailsetup db import-ispdb DIR}: which files of a local ISPDB checkout mailsetup can use, and why not. */
@Command(name = "import-ispdb",
        mixinStandardHelpOptions = true,
        description = {"Report which files of a local ISPDB checkout mailsetup can use.",
                "Reads a directory of config-v1.1 files (Thunderbird's ISPDB) and reports for each file",
                "whether it parses, what was dropped, or why it is rejected."})
final class ImportIspdbCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The ISPDB directory (the 'ispdb' folder of thunderbird/autoconfig).")
    Path dir;

    @Override
    public Integer call() {
        IspdbImport result;
        try {
            result = ProviderDatabase.importIspdb(dir);
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: cannot read " + dir + ": " + e.getMessage());
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        int withWarnings = 0;
        for (IspdbImport.FileOutcome f : result.files()) {
            if (f.accepted()) {
                ClientConfig c = f.config();
                out.println(f.file() + ": ok: " + c.id() + ", " + plural(c.domains().size(), "domain") + ", "
                        + c.incoming().size() + " incoming, " + c.outgoing().size() + " outgoing");
            } else {
                out.println(f.file() + ": rejected: " + f.rejection());
            }
            for (String w : f.warnings()) {
                out.println("  warning: " + w);
            }
            withWarnings += f.warnings().isEmpty() ? 0 : 1;
        }
        out.println(plural(result.files().size(), "file") + ": " + result.accepted() + " accepted ("
                + withWarnings + " with warnings), " + result.rejected() + " rejected; "
                + plural(result.database().domainCount(), "domain") + " indexed");
        out.flush();
        return 0;
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
