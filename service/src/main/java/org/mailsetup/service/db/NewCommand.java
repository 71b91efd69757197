package org.mailsetup.service.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;
import org.mailsetup.InvalidEmailException;
import org.mailsetup.MailSetup;
import org.mailsetup.ProbeReport;
import org.mailsetup.ServerSettings;
import org.mailsetup.SourceName;
import org.mailsetup.SourceReport;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.service.DiscoveryOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mailsetup db new EMAIL_OR_DOMAIN}: runs a full lookup with verification and writes what it found
 * as a draft entry, each server annotated with its sources and what the probe saw. A starting point for a
 * contributor, never a source of facts by itself.
 */
@Command(name = "new",
        mixinStandardHelpOptions = true,
        description = {"Draft a provider entry from a live lookup with verification.",
                "Writes config-v1.1 XML (to standard output or --out) with comments saying which sources",
                "found each server and whether a probe verified it. Check every value against the",
                "provider's documentation before submitting it."})
final class NewCommand implements Callable<Integer> {

    /** Local part used when only a domain is given; distinctive, so usernames can be mapped back to templates. */
    static final String DRAFT_LOCAL_PART = "mailsetup-draft";

    @Spec
    CommandSpec spec;

    @Mixin
    DiscoveryOptions options;

    @Parameters(paramLabel = "EMAIL_OR_DOMAIN", description = "An address, or just its domain.")
    String target;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the draft here instead of standard output.")
    Path out;

    @Option(names = "--force", description = "Overwrite --out if it exists.")
    boolean force;

    @Option(names = "--id", paramLabel = "ID", description = "Provider id (default: the domain); the file must be named ID.xml.")
    String id;

    @Option(names = "--source", paramLabel = "URL",
            description = "The provider's own https page you check the draft against (repeatable); written as ms:source.")
    List<String> sources = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        EmailAddress address;
        try {
            address = EmailAddress.parse(target.contains("@") ? target : DRAFT_LOCAL_PART + "@" + target);
        } catch (InvalidEmailException e) {
            spec.commandLine().getErr().println("error: " + target + ": " + e.getMessage());
            return 2;
        }
        for (String s : sources) {
            if (!s.startsWith("https://")) {
                spec.commandLine().getErr().println("error: --source " + s + ": must be an https URL");
                return 2;
            }
        }
        if (out != null && Files.exists(out) && !force) {
            spec.commandLine().getErr().println("error: " + out + " exists; use --force to overwrite it");
            return 1;
        }
        DiscoveryResult r;
        try (MailSetup mailSetup = options.toBuilder().build()) {
            r = mailSetup.lookupBlocking(address.address());
        }
        if (r.incoming().isEmpty() && r.outgoing().isEmpty()) {
            spec.commandLine().getErr().println("error: no settings found for " + address.domain()
                    + (r.error() == null ? "" : ": " + r.error().message()) + "; " + sourcesLine(r));
            return 1;
        }
        String entryId = id != null ? id : address.domain();
        List<String> serverComments = new ArrayList<>();
        ClientConfig draft = new ClientConfig(entryId, List.of(address.domain()),
                r.provider() != null ? r.provider().name() : address.domain(), null,
                servers(r.incoming(), address, serverComments), servers(r.outgoing(), address, serverComments),
                List.of(), List.of(), List.of(), null, null);
        byte[] xml = DraftWriter.write(draft, header(r, address), serverComments, sources);
        if (out == null) {
            spec.commandLine().getOut().print(new String(xml, java.nio.charset.StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
        } else {
            Files.write(out, xml, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        }
        long verified = r.incoming().stream().filter(ServerSettings::verified).count()
                + r.outgoing().stream().filter(ServerSettings::verified).count();
        spec.commandLine().getErr().println("draft for " + address.domain() + ": " + r.incoming().size() + " incoming, "
                + r.outgoing().size() + " outgoing, " + verified + " verified. Save it as providers/" + entryId
                + ".xml, check it against the provider's documentation, then run: mailsetup db validate"
                + (sources.isEmpty() ? " (it names no source yet: add the provider's page with --source URL or an ms:source element)" : ""));
        spec.commandLine().getErr().flush();
        return 0;
    }

    private static List<ServerConfig> servers(List<ServerSettings> found, EmailAddress a, List<String> comments) {
        List<ServerConfig> list = new ArrayList<>();
        for (ServerSettings s : found) {
            String username = usernameTemplate(s.username(), a);
            List<String> auth = s.auth().isEmpty() ? List.of("password-cleartext") : s.auth();
            StringBuilder c = new StringBuilder("found by ")
                    .append(s.foundBy().stream().map(SourceName::id).collect(Collectors.joining(", ")))
                    .append(s.trusted() ? " (trusted)" : " (untrusted)").append("; ").append(probeText(s));
            if (s.auth().isEmpty()) {
                c.append("; authentication not observed, password-cleartext assumed");
            }
            if (!username.startsWith("%") || !username.endsWith("%")) {
                c.append("; username as found, not a template");
            }
            comments.add(c.toString());
            list.add(new ServerConfig(s.protocol(), s.host(), s.port(), s.security(), username, auth));
        }
        return list;
    }

    private static String probeText(ServerSettings s) {
        ProbeReport p = s.probe();
        if (p == null) {
            return "not probed";
        }
        if (s.verified()) {
            return "verified: " + p.tlsVersion() + ", certificate valid"
                    + (p.certificateIssuer() == null ? "" : " (issuer " + p.certificateIssuer() + ")")
                    + (p.greeting() == null ? "" : ", greeting \"" + p.greeting() + "\"");
        }
        return "NOT verified: " + (p.failure() == null ? "no reason given" : p.failure());
    }

    /** The username a source produced for this address, turned back into a config-v1.1 template. */
    static String usernameTemplate(String username, EmailAddress a) {
        if (username == null || username.isBlank() || username.equalsIgnoreCase(a.address())) {
            return "%EMAILADDRESS%";
        }
        if (username.equals(a.localPart())) {
            return "%EMAILLOCALPART%";
        }
        if (username.equalsIgnoreCase(a.domain())) {
            return "%EMAILDOMAIN%";
        }
        return username;
    }

    private static List<String> header(DiscoveryResult r, EmailAddress a) {
        List<String> lines = new ArrayList<>();
        lines.add("Draft written by mailsetup db new on " + LocalDate.now(ZoneOffset.UTC) + " from a lookup of "
                + a.address() + " (" + r.elapsedMs() + " ms). Not reviewed.");
        if (r.provider() != null) {
            lines.add("mailsetup already identifies this domain as " + r.provider().name() + " (" + r.provider().id()
                    + "): consider fixing that entry or adding an ms:mxHost pattern instead of a new entry.");
        }
        lines.add(sourcesLine(r));
        for (String w : r.warnings()) {
            lines.add("warning: " + w);
        }
        lines.add("Before submitting: check every value against the provider's own documentation, add a"
                + " source (--source, or a documentation link), notes and ms:mxHost patterns, and run mailsetup db validate;"
                + " ms:lastVerified is written by mailsetup db check --update only.");
        return lines;
    }

    private static String sourcesLine(DiscoveryResult r) {
        return "sources: " + r.sources().stream().map(NewCommand::source).collect(Collectors.joining("; "));
    }

    private static String source(SourceReport s) {
        String status = s.status().name().toLowerCase(Locale.ROOT);
        return s.name().id() + " " + status + (s.detail() == null || s.detail().isBlank() ? "" : " (" + s.detail() + ")");
    }
}
