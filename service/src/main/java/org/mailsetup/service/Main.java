package org.mailsetup.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
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
                CheckCommand.class,
                DbCommand.class,
                ServeCommand.class,
                PaccRecordCommand.class,
        })
public final class Main {

    public static void main(String[] args) {
        // Loading the provider database is the largest part of a cold lookup; begin it while the rest starts
        // up, for the commands that use it (serve loads it behind its readiness check).
        if (usesProviderDatabase(args)) {
            Thread.ofVirtual().start(ProviderDatabase::bundled);
        }
        Utf8Console.useUtf8Output();
        System.exit(run(Utf8Console.arguments(args)));
    }

    static boolean usesProviderDatabase(String... args) {
        String command = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
        return command.equals("lookup") || command.equals("check") || command.equals("db");
    }

    /** Runs the command line and returns the exit status (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                // UTF-8 whatever the locale (see Utf8Console); picocli would follow the terminal's encoding.
                .setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true))
                .execute(args);
    }

    /** The version and commit the build wrote into {@code build.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties build = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("build.properties")) {
                if (in == null) {
                    return new String[] {"mailsetup (version unknown: not built by Maven)"};
                }
                build.load(in);
            }
            return new String[] {"mailsetup " + build.getProperty("version") + " (commit " + build.getProperty("commit") + ")",
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
