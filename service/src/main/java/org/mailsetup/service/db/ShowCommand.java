package org.mailsetup.service.db;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mailsetup.EmailAddress;
import org.mailsetup.InvalidEmailException;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ProviderNote;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.providerdb.MxMatch;
import org.mailsetup.providerdb.ProviderDatabase;
import org.mailsetup.providerdb.ProviderDatabaseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mailsetup db show [--json] DOMAIN... | -}: what the offline database says about domains (and
 * MX hosts), with no network at all. Streams: one answer per input, the database loaded once.
 */
@Command(name = "show",
        mixinStandardHelpOptions = true,
        description = {"Show the database entry for each domain (or email address), offline.",
                "Use '-' to read domains from standard input, one per line. Exit status 1 when an input",
                "is not a valid domain; a domain without an entry is not an error."})
final class ShowCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DOMAIN", arity = "0..*",
            description = "Domains or email addresses (Unicode allowed); '-' reads them from standard input.")
    List<String> domains = new ArrayList<>();

    @Option(names = "--mx", paramLabel = "HOST", description = "Show which entry this MX host identifies (repeatable).")
    List<String> mxHosts = new ArrayList<>();

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Option(names = "--providers-dir", paramLabel = "DIR",
            description = "Operator entries to use over the bundled ones.")
    Path providersDir;

    /** One line of {@code --json} output; {@code provider} is null when no entry claims the domain. */
    record DomainJson(String domain, ProviderJson provider, List<ServerJson> incoming, List<ServerJson> outgoing,
                      List<NoteJson> notes, @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
    }

    record MxJson(String mx, String pattern, ProviderJson provider, List<ServerJson> incoming,
                  List<ServerJson> outgoing) {
    }

    record ProviderJson(String id, String name) {
    }

    /** Placeholders are kept, except %EMAILDOMAIN% in a host name once the domain is known. */
    record ServerJson(String protocol, String host, int port, String security, String username, List<String> auth) {
    }

    record NoteJson(String type, String url, String text) {
    }

    @Override
    public Integer call() throws IOException {
        if (domains.isEmpty() && mxHosts.isEmpty()) {
            spec.commandLine().getErr().println("error: give at least one DOMAIN, '-', or --mx HOST");
            spec.commandLine().usage(spec.commandLine().getErr());
            return 2;
        }
        ProviderDatabase db;
        try {
            db = Databases.open(providersDir, true);
        } catch (ProviderDatabaseException e) {
            return Databases.fail(e, spec.commandLine());
        }
        // Buffered: thousands of answers should not mean thousands of flushes.
        PrintWriter out = new PrintWriter(new BufferedWriter(spec.commandLine().getOut(), 1 << 16));
        boolean allValid = true;
        for (String host : mxHosts) {
            showMx(db, host.strip(), out);
        }
        for (String d : domains) {
            if (d.equals("-")) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        allValid &= showDomain(db, line.strip(), out);
                    }
                    if (!in.ready()) {
                        out.flush(); // someone may be typing: answer now
                    }
                }
            } else {
                allValid &= showDomain(db, d.strip(), out);
            }
        }
        out.flush();
        return allValid ? 0 : 1;
    }

    private boolean showDomain(ProviderDatabase db, String input, PrintWriter out) throws JsonProcessingException {
        String domain;
        try {
            domain = EmailAddress.parse(input.contains("@") ? input : "x@" + input).domain();
        } catch (InvalidEmailException e) {
            if (json) {
                out.println(JSON.writeValueAsString(new DomainJson(input, null, List.of(), List.of(), List.of(), e.getMessage())));
            } else {
                out.println(input + ": invalid: " + e.getMessage());
            }
            return false;
        }
        Optional<ClientConfig> entry = db.byDomain(domain);
        if (json) {
            out.println(JSON.writeValueAsString(entry
                    .map(c -> new DomainJson(domain, provider(c), servers(c.incoming(), domain), servers(c.outgoing(), domain),
                            notes(c), null))
                    .orElseGet(() -> new DomainJson(domain, null, List.of(), List.of(), List.of(), null))));
            return true;
        }
        String label = domain.equals(input) ? domain : input + " (" + domain + ")";
        if (entry.isEmpty()) {
            out.println(label + ": not in the provider database");
            return true;
        }
        ClientConfig c = entry.get();
        out.println(label + ": " + c.name() + " [" + c.id() + "]");
        printServers(c, domain, out);
        for (ProviderNote n : c.notes()) {
            out.println("  note (" + n.type() + "): " + n.text() + (n.url() == null ? "" : " " + n.url()));
        }
        return true;
    }

    private void showMx(ProviderDatabase db, String host, PrintWriter out) throws JsonProcessingException {
        Optional<MxMatch> match = db.matchMx(host);
        if (json) {
            out.println(JSON.writeValueAsString(match
                    .map(m -> new MxJson(host, m.pattern(), provider(m.entry()), servers(m.entry().incoming(), null),
                            servers(m.entry().outgoing(), null)))
                    .orElseGet(() -> new MxJson(host, null, null, List.of(), List.of()))));
            return;
        }
        if (match.isEmpty()) {
            out.println("mx " + host + ": no entry claims this MX host");
            return;
        }
        ClientConfig c = match.get().entry();
        out.println("mx " + host + ": " + c.name() + " [" + c.id() + "] via " + match.get().pattern());
        printServers(c, null, out);
    }

    private static void printServers(ClientConfig c, String domain, PrintWriter out) {
        List<ServerConfig> all = new ArrayList<>(c.incoming());
        all.addAll(c.outgoing());
        for (ServerConfig s : all) {
            out.printf("  %-4s %-32s %-8s user %s  auth %s%n", s.protocol().jsonName(),
                    host(s, domain) + ":" + s.port(), s.security().jsonName(),
                    s.username() == null ? "%EMAILADDRESS%" : s.username(), String.join(",", s.authentication()));
        }
    }

    private static ProviderJson provider(ClientConfig c) {
        return new ProviderJson(c.id(), c.name());
    }

    private static List<ServerJson> servers(List<ServerConfig> list, String domain) {
        return list.stream().map(s -> new ServerJson(s.protocol().jsonName(), host(s, domain), s.port(),
                s.security().jsonName(), s.username() == null ? "%EMAILADDRESS%" : s.username(), s.authentication())).toList();
    }

    private static List<NoteJson> notes(ClientConfig c) {
        return c.notes().stream().map(n -> new NoteJson(n.type(), n.url(), n.text())).toList();
    }

    private static String host(ServerConfig s, String domain) {
        return domain == null ? s.hostname() : s.hostname().replace("%EMAILDOMAIN%", domain);
    }
}
