package org.mailsetup.service;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.mailsetup.providerdb.ProviderDatabase;
import org.mailsetup.service.db.DbCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mailsetup} command: entry point of the runnable jar. */
@Command(name = "mailsetup",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Finds and verifies the IMAP, POP3 and SMTP settings for an email address.",
        subcommands = {
                CommandLine.HelpCommand.class,
                LookupCommand.class,
                DbCommand.class,
                ServeCommand.class,
                PaccRecordCommand.class,
        })
public final class Main {

    public static void main(String[] args) {
        // Loading the provider database is the largest part of a cold start; begin it while the rest starts up.
        Thread.ofVirtual().start(ProviderDatabase::bundled);
        Utf8Console.useUtf8Output();
        System.exit(run(Utf8Console.arguments(args)));
    }

    /** Runs the command line and returns the exit status (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                // UTF-8 whatever the locale (see Utf8Console); picocli would follow the terminal's encoding.
                .setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true))
                .execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mailsetup " + (v == null ? "development build" : v)};
        }
    }
}
