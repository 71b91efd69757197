package org.mailsetup.service.db;

import java.nio.file.Path;
import org.mailsetup.providerdb.ProviderDatabase;
import org.mailsetup.providerdb.ProviderDatabaseException;
import picocli.CommandLine;

/** How the db subcommands open a database: the bundled one, or an operator directory over it. */
final class Databases {

    private Databases() {
    }

    /**
     * @param dir     an operator directory, or null for the bundled database alone
     * @param overlay true: dir's entries over the bundled ones (what the service would use); false: dir alone
     */
    static ProviderDatabase open(Path dir, boolean overlay) throws ProviderDatabaseException {
        if (dir == null) {
            return ProviderDatabase.bundled();
        }
        ProviderDatabase own = ProviderDatabase.load(dir);
        return overlay ? ProviderDatabase.overlay(own, ProviderDatabase.bundled()) : own;
    }

    /** Prints a load failure (every problem on its own line) and returns the exit status for it. */
    static int fail(ProviderDatabaseException e, CommandLine cmd) {
        cmd.getErr().println("error: " + e.getMessage());
        cmd.getErr().flush();
        return 1;
    }
}
