package org.mailsetup.internal.source.pacc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.mailsetup.Endpoint;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.Service;
import org.mailsetup.SourceName;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.Documentation;
import org.mailsetup.config.HostNames;
import org.mailsetup.config.OAuth2Config;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.config.ServiceConfig;
import org.mailsetup.internal.discovery.Candidate;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.discovery.ServiceCandidate;
import org.mailsetup.internal.discovery.Source;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.http.HttpRequest;
import org.mailsetup.internal.http.HttpResult;
import org.mailsetup.internal.source.ConfigFetch;

/**
 * The IETF PACC document (draft-ietf-mailmaint-pacc): {@code GET
 * https://ua-auto-config.<domain>/.well-known/user-agent-configuration.json}, used only when its SHA-256
 * matches a {@code v=UAAC1; a=sha256; d=...} TXT record at {@code _ua-auto-config.<domain>}, queried at
 * the same time. The draft fixes everything but the host names: IMAP 993, POP3 995 and submission 465,
 * all implicit TLS, the full address as username. A matching document is trusted (its integrity is
 * anchored in the domain's DNS, its transport in a validated TLS connection).
 */
public final class PaccSource implements Source {

    static final String PATH = "/.well-known/user-agent-configuration.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public SourceName name() {
        return SourceName.PACC;
    }

    @Override
    public SourceOutcome discover(LookupContext ctx) throws Exception {
        String domain = ctx.domain();
        URI url = ctx.settings().https("ua-auto-config." + domain, PATH);
        String txtName = "_ua-auto-config." + domain;
        Future<DnsAnswer<String>> txt = ctx.executor().submit(() -> ctx.dns().txt(txtName, ctx.deadline()));
        HttpResult doc;
        try {
            doc = ctx.http().fetch(HttpRequest.get(url).withHeader("Accept", "application/json"), ctx.deadline());
        } catch (IOException e) {
            if (ConfigFetch.timedOut(e)) {
                return SourceOutcome.timedOut(e.getMessage());
            }
            if (ConfigFetch.resolverFailed(e)) {
                return SourceOutcome.failed("no document: " + ConfigFetch.display(url) + ": " + e.getMessage());
            }
            return SourceOutcome.empty("no document: " + ConfigFetch.display(url) + ": " + ConfigFetch.describe(e));
        }
        String where = ConfigFetch.display(doc.finalUrl());
        if (!doc.isSuccess()) {
            return SourceOutcome.empty("no document: " + where + ": HTTP " + doc.status());
        }
        if (!doc.allHttps()) {
            return SourceOutcome.empty("not used: " + where + " was reached over plain http");
        }
        if (!isJson(doc.contentType())) {
            return SourceOutcome.empty("not used: " + where + " is served as '" + doc.contentType()
                    + "', not application/json");
        }
        DnsAnswer<String> records;
        try {
            records = ctx.deadline().await(txt);
        } catch (TimeoutException e) {
            return SourceOutcome.timedOut("TXT lookup for " + txtName + " timed out");
        } catch (ExecutionException e) {
            return SourceOutcome.failed("TXT lookup for " + txtName + " failed: " + e.getCause().getMessage());
        }
        ctx.noteTtl(records.ttlSeconds());
        if (records.isEmpty()) {
            return SourceOutcome.empty("not used: " + where + " answered, but there is no TXT record at " + txtName);
        }
        byte[] digest = sha256(doc.body());
        List<String> problems = new ArrayList<>();
        List<String> published = new ArrayList<>();
        boolean match = false;
        for (String text : records.records()) {
            UaacRecord.Parsed p = UaacRecord.parse(text);
            if (p.record() == null) {
                problems.add("skipped TXT record '" + abbreviate(text) + "': " + p.problem());
                continue;
            }
            published.add(p.record().base64());
            match |= MessageDigest.isEqual(digest, p.record().digest());
        }
        if (published.isEmpty()) {
            return SourceOutcome.empty("not used: no valid UAAC1 TXT record at " + txtName + " ("
                    + String.join("; ", problems) + ")");
        }
        if (!match) {
            return SourceOutcome.empty("not used: digest mismatch: " + where + " has SHA-256 "
                    + Base64.getEncoder().encodeToString(digest) + ", " + txtName + " lists "
                    + String.join(", ", published));
        }
        List<String> warnings = new ArrayList<>(problems);
        Document d = parse(doc.body(), where, warnings);
        List<Candidate> candidates = new ArrayList<>();
        Set<Endpoint> seen = new LinkedHashSet<>();
        for (ServerConfig s : d.servers) {
            Candidate c = new Candidate(s.protocol(), s.hostname(), s.port(), s.security(), ctx.email().address(),
                    s.authentication(), SourceName.PACC, true);
            if (seen.add(c.endpoint())) {
                candidates.add(c);
            }
        }
        // The draft's URLs carry no username: the full address, as for mail.
        List<ServiceCandidate> services = d.services.stream().map(s -> new ServiceCandidate(s.service(),
                s.serverUrl(), ctx.email().address(), "%EMAILADDRESS%", s.authentication(), SourceName.PACC, true))
                .toList();
        if (candidates.isEmpty()) {
            return SourceOutcome.of(List.of(), services, null, warnings, "not used for mail: " + where
                    + " names no IMAP, POP3 or submission host");
        }
        String detail = where + " answered; digest matches TXT " + txtName
                + (records.ttlSeconds() >= 0 ? " (TTL " + records.ttlSeconds() + " s)" : "")
                + (records.authenticated() ? ", DNSSEC-validated" : "");
        return SourceOutcome.of(candidates, services, d.provider(domain), warnings, detail);
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** The parts of a PACC document mailsetup uses. */
    record Document(List<ServerConfig> servers, List<ServiceConfig> services, String name, String shortName,
                    String documentation, String oauthIssuer) {

        ClientConfig provider(String domain) {
            if (name == null) {
                return null;
            }
            List<ServerConfig> in = servers.stream().filter(s -> s.protocol().isIncoming()).toList();
            List<ServerConfig> out = servers.stream().filter(s -> !s.protocol().isIncoming()).toList();
            return new ClientConfig(domain, List.of(domain), name, shortName, in, out,
                    documentation == null ? List.of() : List.of(new Documentation(documentation, null)),
                    List.of(), List.of(), null,
                    oauthIssuer == null ? null : new OAuth2Config(oauthIssuer, List.of(), null, null), null, services);
        }
    }

    /**
     * Reads the JSON document; unknown members are ignored, a malformed document is an error (the digest
     * matched, so the domain really publishes it: that is worth reporting as a failure).
     */
    static Document parse(byte[] body, String where, List<String> warnings) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new IOException(where + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IOException(where + " is not a JSON object");
        }
        JsonNode auth = root.path("authentication");
        boolean password = !auth.path("password").isBoolean() || auth.path("password").asBoolean();
        String issuer = text(auth.path("oauth-public").path("issuer"));
        List<String> methods = new ArrayList<>();
        if (issuer != null) {
            methods.add("OAuth2");
        }
        if (password) {
            methods.add("password-cleartext");
        }
        JsonNode protocols = root.path("protocols");
        List<ServerConfig> servers = new ArrayList<>();
        addServer(protocols, "imap", Protocol.IMAP, methods, servers, warnings);
        addServer(protocols, "pop3", Protocol.POP3, methods, servers, warnings);
        // -02 calls submission "smtp", -03 "submit": accept both.
        addServer(protocols, "submit", Protocol.SMTP, methods, servers, warnings);
        addServer(protocols, "smtp", Protocol.SMTP, methods, servers, warnings);
        List<ServiceConfig> services = new ArrayList<>();
        for (Service service : List.of(Service.JMAP, Service.CALENDARS, Service.CONTACTS)) {
            addService(protocols, service, issuer != null, password, services, warnings);
        }
        JsonNode provider = root.path("info").path("provider");
        String name = text(provider.path("name"));
        if (name == null) {
            warnings.add(where + ": info.provider.name is missing");
        }
        return new Document(servers, services, name, text(provider.path("shortName")),
                text(root.path("info").path("help").path("documentation")), issuer);
    }

    private static void addServer(JsonNode protocols, String member, Protocol protocol, List<String> auth,
                                  List<ServerConfig> out, List<String> warnings) {
        JsonNode node = protocols.path(member);
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        String raw = text(node.path("host"));
        String host = raw == null ? "" : HostNames.normalize(raw);
        if (!HostNames.isValid(host)) {
            warnings.add("protocols." + member + ".host '" + (raw == null ? "" : raw) + "' is not a valid host name; ignored");
            return;
        }
        out.add(new ServerConfig(protocol, host, protocol.tlsPort(), Security.TLS, "%EMAILADDRESS%", auth));
    }

    /** {@code protocols.jmap|caldav|carddav: {"url": "https://..."}}: https only, as the draft requires. */
    private static void addService(JsonNode protocols, Service service, boolean oauth, boolean password,
                                   List<ServiceConfig> out, List<String> warnings) {
        String member = service.protocol();
        JsonNode node = protocols.path(member);
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        String raw = text(node.path("url"));
        URI url;
        try {
            url = raw == null ? null : new URI(raw);
        } catch (java.net.URISyntaxException e) {
            url = null;
        }
        if (url == null || !"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null
                || !HostNames.isValid(HostNames.normalize(url.getHost()))) {
            warnings.add("protocols." + member + ".url '" + (raw == null ? "" : raw) + "' is not an https URL; ignored");
            return;
        }
        List<String> auth = new ArrayList<>();
        if (oauth) {
            auth.add("OAuth2");
        }
        if (password) {
            auth.add("http-basic");
        }
        out.add(new ServiceConfig(service, "https" + raw.substring(5), null, auth));
    }

    private static String text(JsonNode n) {
        return n.isTextual() && !n.asText().isBlank() ? n.asText().strip() : null;
    }
}
