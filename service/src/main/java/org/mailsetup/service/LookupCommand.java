package org.mailsetup.service;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.LookupError;
import org.mailsetup.MailSetup;
import org.mailsetup.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mailsetup lookup EMAIL}: the settings for one address, as a table or JSON. */
@Command(name = "lookup", mixinStandardHelpOptions = true,
        description = {"Find and verify the mail settings for an email address.",
                "With '-' or a file instead of an address: look up one address per line, concurrently, "
                        + "and print one JSON object per line (or CSV with --csv)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:settings found", "1:lookup failed (the JSON or message says why)", "2:invalid command line",
                "3:the DNS resolver could not answer (dns-failure): try again later"})
public final class LookupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DiscoveryOptions options;

    @Option(names = "--json", description = "Print the result as JSON (the same shape as the HTTP API).")
    boolean json;

    @Option(names = "--csv", description = "Batch mode: print CSV instead of JSON lines.")
    boolean csv;

    @Option(names = "--services", paramLabel = "SERVICE", split = ",", defaultValue = "${env:MAILSETUP_SERVICES:-mail}",
            description = "Services to look up: mail (always), contacts, calendars, jmap, or all; repeatable (env "
                    + "MAILSETUP_SERVICES, comma-separated; default mail only).")
    List<String> services = new ArrayList<>();

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8",
            description = "Batch mode: lookups at once (default ${DEFAULT-VALUE}).")
    int parallel;

    @Parameters(paramLabel = "EMAIL|-|FILE", description = "The address to look up, or '-' / a file of addresses.")
    String email;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (email.equals("-") || !email.contains("@") && Files.isRegularFile(Path.of(email))) {
            return batch();
        }
        try (MailSetup mailSetup = builder().build()) {
            DiscoveryResult r = mailSetup.lookupBlocking(email);
            if (json) {
                out.println(ContractJson.mapper().writeValueAsString(r));
            } else {
                out.print(ResultTable.render(r));
            }
            out.flush();
            return exitStatus(r);
        }
    }

    private MailSetup.Builder builder() {
        Set<Service> chosen = EnumSet.of(Service.MAIL);
        for (String s : services) {
            if (s.isBlank()) {
                continue;
            }
            try {
                chosen.addAll(s.strip().equalsIgnoreCase("all") ? List.of(Service.values()) : List.of(Service.fromId(s)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage() + " for --services");
            }
        }
        return options.toBuilder().services(chosen.toArray(Service[]::new));
    }

    /** 0 found, 3 for a resolver failure (temporary, so scripts can retry), 1 for any other failure. */
    static int exitStatus(DiscoveryResult r) {
        if (r.isSuccess()) {
            return 0;
        }
        return r.error() != null && r.error().code() == LookupError.Code.DNS_FAILURE ? 3 : 1;
    }

    private int batch() throws IOException {
        try (MailSetup mailSetup = builder().build();
             Reader in = email.equals("-") ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                     : Files.newBufferedReader(Path.of(email), StandardCharsets.UTF_8)) {
            return BatchLookup.run(mailSetup, in, System.out, System.err, csv, parallel);
        }
    }
}
