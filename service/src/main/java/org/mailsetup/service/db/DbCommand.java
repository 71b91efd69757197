package org.mailsetup.service.db;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mailsetup db}: work with the offline provider database (validate, show, stats, import the
 * ISPDB, draft a new entry, check entries against the live servers). Not runnable itself, so picocli answers "Missing required subcommand" with the usage.
 */
@Command(name = "db",
        mixinStandardHelpOptions = true,
        description = "Work with the offline provider database.",
        subcommands = {
                ValidateCommand.class,
                ShowCommand.class,
                StatsCommand.class,
                ImportIspdbCommand.class,
                NewCommand.class,
                CheckCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class DbCommand {
}
