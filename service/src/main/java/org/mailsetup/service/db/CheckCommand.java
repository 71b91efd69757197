package org.mailsetup.service.db;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.mailsetup.Endpoint;
import org.mailsetup.MailSetup;
import org.mailsetup.ProbeReport;
import org.mailsetup.Security;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.providerdb.ProviderDatabase;
import org.mailsetup.providerdb.ProviderDatabaseException;
import org.mailsetup.service.DiscoveryOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mailsetup db check}: connects to every server of the chosen entries through the prober (TLS or
 * a real STARTTLS upgrade, certificate and host name, greeting, capabilities; never a password) and
 * reports the servers that no longer answer as the entry describes. Needs the internet; not run in CI.
 */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = {"Connect to the servers of database entries and report drift.",
                "Each server is probed like a lookup verifies it (no password is ever sent). Reports",
                "servers that fail, and authentication methods the entry lists but the server no longer",
                "offers. --report writes a table of every entry; --update writes today's date as",
                "ms:lastVerified into each entry file whose servers were all verified.",
                "Exit status 1 when any server does not answer as described."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every server answers as described", "1:drift or failures", "2:invalid command line"})
final class CheckCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--provider", paramLabel = "ID", description = "Check this entry (repeatable).")
    List<String> providers = new ArrayList<>();

    @Option(names = "--all", description = "Check every entry.")
    boolean all;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a Markdown table of every entry checked: ok, failed (why), auth drift.")
    Path report;

    @Option(names = "--update", description = "Write today's date as ms:lastVerified into the --providers-dir file of each entry whose servers were all verified.")
    boolean update;

    @Option(names = "--providers-dir", paramLabel = "DIR", description = "Check the entries in DIR instead of the bundled ones.")
    Path providersDir;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Time allowed per server: 10s, 1500ms (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8", description = "Servers probed at once (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--dns", paramLabel = "HOST[:PORT]", description = "Recursive DNS resolver to use (default: the system's).")
    String dns;

    @Option(names = "--allow-network", paramLabel = "CIDR", split = ",",
            description = "Allow connections to this non-public network (repeatable); for labs and tests.")
    List<String> allowNetworks = new ArrayList<>();

    @Option(names = "--ca-file", paramLabel = "PEM", description = "Extra trusted CA certificates, on top of the JVM's.")
    Path caFile;

    @Option(names = "--json", description = "One JSON object per server.")
    boolean json;

    enum Status {
        /** Verified over a validated TLS channel, auth as listed. */
        OK,
        /** A plain-text server that answers the protocol: as described, but never safe. */
        PLAIN,
        /** Answers, but does not offer an authentication method the entry lists. */
        AUTH_DIFFERS,
        /** Does not answer as described (refused, timeout, TLS or certificate failure, no STARTTLS...). */
        FAILED
    }

    /** One line of the report. */
    record Line(String provider, String protocol, String host, int port, String security, Status status,
                @JsonInclude(JsonInclude.Include.NON_NULL) String detail, long rttMs,
                @JsonInclude(JsonInclude.Include.NON_NULL) String tlsVersion) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Duration perServer;
        try {
            perServer = DiscoveryOptions.parseDuration(timeout);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: --timeout: " + e.getMessage());
            return 2;
        }
        if (parallel < 1 || perServer.isNegative() || perServer.isZero()) {
            spec.commandLine().getErr().println("error: --parallel and --timeout must be positive");
            return 2;
        }
        if (all == !providers.isEmpty()) {
            spec.commandLine().getErr().println("error: name the entries with --provider ID, or check every entry with --all");
            return 2;
        }
        if (update && providersDir == null) {
            spec.commandLine().getErr().println("error: --update writes entry files: give their directory with --providers-dir");
            return 2;
        }
        ProviderDatabase db;
        try {
            db = Databases.open(providersDir, false);
        } catch (ProviderDatabaseException e) {
            return Databases.fail(e, spec.commandLine());
        }
        List<ClientConfig> entries = new ArrayList<>();
        if (all) {
            entries.addAll(db.entries());
        } else {
            for (String p : providers) {
                ClientConfig c = db.byId(p).orElse(null);
                if (c == null) {
                    spec.commandLine().getErr().println("error: no entry with id '" + p + "'");
                    return 2;
                }
                entries.add(c);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        int bad = 0;
        int total = 0;
        Map<String, List<Line>> byEntry = new LinkedHashMap<>();
        try (MailSetup mailSetup = mailSetup(perServer);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore slots = new Semaphore(parallel);
            // The same server often serves several entries (brands of one provider): probe it once.
            Map<Endpoint, CompletableFuture<ProbeReport>> probes = new LinkedHashMap<>();
            record Job(ClientConfig entry, ServerConfig server, Endpoint key) {
            }
            List<Job> jobs = new ArrayList<>();
            for (ClientConfig c : entries) {
                List<ServerConfig> servers = new ArrayList<>(c.incoming());
                servers.addAll(c.outgoing());
                for (ServerConfig s : servers) {
                    // A host template like mail.%EMAILDOMAIN% is checked for the entry's own first domain.
                    String host = s.hostname().replace("%EMAILDOMAIN%", c.domains().isEmpty() ? "" : c.domains().get(0));
                    Endpoint key = new Endpoint(s.protocol(), host, s.port(), s.security());
                    probes.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> {
                        slots.acquireUninterruptibly();
                        try {
                            return mailSetup.probe(k);
                        } finally {
                            slots.release();
                        }
                    }, threads));
                    jobs.add(new Job(c, s, key));
                }
            }
            // Printed in entry order as results arrive, so a long run shows progress.
            for (Job j : jobs) {
                Line line = judge(j.entry(), j.server(), j.key(), probes.get(j.key()).join());
                byEntry.computeIfAbsent(line.provider(), k -> new ArrayList<>()).add(line);
                total++;
                if (line.status() == Status.FAILED || line.status() == Status.AUTH_DIFFERS) {
                    bad++;
                }
                out.println(json ? JSON.writeValueAsString(line) : text(line));
                out.flush();
            }
        }
        if (report != null) {
            Files.writeString(report, CheckReport.table(entries, byEntry));
        }
        if (update) {
            int stamped = CheckReport.stampPassed(providersDir, byEntry, LocalDate.now(ZoneOffset.UTC));
            spec.commandLine().getErr().println(stamped + (stamped == 1 ? " entry" : " entries")
                    + " passed: ms:lastVerified written in " + providersDir);
            spec.commandLine().getErr().flush();
        }
        if (!json) {
            out.println(total + (total == 1 ? " server" : " servers") + " checked in " + entries.size()
                    + (entries.size() == 1 ? " entry" : " entries") + ": " + (total - bad) + " as described, "
                    + bad + " not");
            out.flush();
        }
        return bad == 0 ? 0 : 1;
    }

    private MailSetup mailSetup(Duration perServer) {
        MailSetup.Builder b = MailSetup.builder().timeout(perServer);
        if (dns != null && !dns.isBlank()) {
            b.dnsServer(dns.strip());
        }
        allowNetworks.stream().filter(c -> !c.isBlank()).forEach(c -> b.allowNetwork(c.strip()));
        if (caFile != null) {
            b.caFile(caFile);
        }
        return b.build();
    }

    static Line judge(ClientConfig entry, ServerConfig s, Endpoint key, ProbeReport p) {
        Status status;
        String detail = null;
        if (p.ok()) {
            List<String> offered = p.authMethods();
            List<String> missing = s.authentication().stream().filter(CheckCommand::isAdvertised)
                    .filter(a -> !offered.contains(a)).toList();
            if (missing.isEmpty()) {
                status = Status.OK;
            } else {
                status = Status.AUTH_DIFFERS;
                detail = "entry lists " + String.join(", ", missing) + "; server offers "
                        + (offered.isEmpty() ? "nothing usable" : String.join(", ", offered));
            }
        } else if (s.security() == Security.PLAIN && p.greeting() != null) {
            status = Status.PLAIN;
            detail = "answers without TLS";
        } else {
            status = Status.FAILED;
            detail = p.failure();
        }
        return new Line(entry.id(), s.protocol().jsonName(), key.host(), key.port(), s.security().jsonName(), status,
                detail, p.rttMs(), p.tlsVersion());
    }

    /** Methods a server announces in its capabilities; others (client-IP-address, none...) cannot be seen. */
    private static boolean isAdvertised(String auth) {
        return switch (auth) {
            case "OAuth2", "password-cleartext", "password-encrypted", "NTLM", "GSSAPI" -> true;
            default -> false;
        };
    }

    private static String text(Line l) {
        String state = switch (l.status()) {
            case OK -> "ok" + (l.tlsVersion() == null ? "" : " (" + l.tlsVersion() + ", " + l.rttMs() + " ms)");
            case PLAIN -> "ok, " + l.detail();
            case AUTH_DIFFERS -> "AUTH DIFFERS: " + l.detail();
            case FAILED -> "FAILED: " + l.detail();
        };
        return String.format("%-24s %-4s %-36s %-8s %s", l.provider(), l.protocol(), l.host() + ":" + l.port(),
                l.security(), state);
    }
}
