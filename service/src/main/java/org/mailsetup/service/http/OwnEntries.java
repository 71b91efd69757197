package org.mailsetup.service.http;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;
import org.mailsetup.LookupError;
import org.mailsetup.ProbeReport;
import org.mailsetup.ProviderInfo;
import org.mailsetup.ServerSettings;
import org.mailsetup.Service;
import org.mailsetup.ServiceSettings;
import org.mailsetup.SourceName;
import org.mailsetup.SourceReport;
import org.mailsetup.SourceStatus;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.NoClientAccess;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.config.ServiceConfig;
import org.mailsetup.format.ClientConfigWriter;
import org.mailsetup.format.PaccDocument;
import org.mailsetup.providerdb.ProviderDatabase;
import org.mailsetup.providerdb.ProviderDatabaseException;

/**
 * The operator's own domains ({@code --own-entries DIR}, config-v1.1 files as in the provider
 * database). For these domains the entry is the answer: discovery is not consulted and nothing is
 * probed. Only the network policy applies: a server whose host resolves to no public address and none
 * inside a network the operator allowed ({@code --allow-network}) is left out, as it would be for any
 * other domain ({@link #checked}). Every document served for them (autoconfig XML, PACC JSON) is
 * serialised once, here, so its bytes never change while the server runs, which the PACC digest in DNS
 * relies on.
 */
public final class OwnEntries {

    /** Why a host of an entry may not be dialled, or empty when it may (or DNS cannot tell). */
    @FunctionalInterface
    public interface AddressCheck {
        Optional<ProbeReport> refusal(String host);
    }

    /** What is served for one domain. */
    private record Served(ClientConfig entry, Map<String, ProbeReport> refused, byte[] autoconfig,
                          String autoconfigProblem, byte[] pacc, String paccProblem) {
    }

    private final Map<String, ClientConfig> byDomain;
    private final Map<String, Served> served = new HashMap<>();

    private OwnEntries(Map<String, ClientConfig> byDomain, AddressCheck check) {
        this.byDomain = Map.copyOf(byDomain);
        for (Map.Entry<String, ClientConfig> e : this.byDomain.entrySet()) {
            served.put(e.getKey(), serve(e.getKey(), e.getValue(), check));
        }
    }

    private static Served serve(String domain, ClientConfig entry, AddressCheck check) {
        EmailAddress any = EmailAddress.parse("postmaster@" + domain);
        Map<String, ProbeReport> refused = new HashMap<>();
        List<ServerConfig> in = usable(entry.incoming(), any, check, refused);
        List<ServerConfig> out = usable(entry.outgoing(), any, check, refused);
        List<ServiceConfig> services = entry.services().stream()
                .filter(c -> allowed(URI.create(c.serverUrlFor(any)).getHost(), check, refused)).toList();
        ClientConfig usable = refused.isEmpty() ? entry : new ClientConfig(entry.id(), entry.domains(),
                entry.displayName(), entry.displayShortName(), in, out, entry.documentation(), entry.mxHosts(),
                entry.notes(), entry.lastVerified(), entry.oauth2(), entry.noClientAccess(), services);
        String problem = in.isEmpty() || out.isEmpty() ? problem(in.isEmpty(), out.isEmpty(), refused) : null;
        Optional<byte[]> pacc = PaccDocument.forDomain(usable, domain);
        return new Served(entry, Map.copyOf(refused),
                problem == null ? ClientConfigWriter.write(usable) : null, problem,
                pacc.orElse(null), pacc.isPresent() ? null : PaccDocument.missing(usable).orElse(problem));
    }

    private static List<ServerConfig> usable(List<ServerConfig> servers, EmailAddress any, AddressCheck check,
                                             Map<String, ProbeReport> refused) {
        List<ServerConfig> out = new ArrayList<>();
        for (ServerConfig s : servers) {
            if (allowed(s.hostnameFor(any), check, refused)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Whether the network policy lets this host be dialled; a refusal is recorded once per host. */
    private static boolean allowed(String host, AddressCheck check, Map<String, ProbeReport> refused) {
        Optional<ProbeReport> why = refused.containsKey(host) ? Optional.of(refused.get(host)) : check.refusal(host)
                .filter(r -> r.failureKind() == ProbeReport.FailureKind.REFUSED);
        why.ifPresent(r -> refused.put(host, r));
        return why.isEmpty();
    }

    private static String problem(boolean noIncoming, boolean noOutgoing, Map<String, ProbeReport> refused) {
        String direction = noIncoming && noOutgoing ? "no incoming and no outgoing"
                : noIncoming ? "no incoming (IMAP or POP3)" : "no outgoing (SMTP)";
        String why = refused.values().stream().map(ProbeReport::failure).distinct()
                .collect(java.util.stream.Collectors.joining("; "));
        return "the operator's entry has " + direction + " server a client may use"
                + (why.isEmpty() ? "" : " (" + why + ")");
    }

    public static OwnEntries none() {
        return new OwnEntries(Map.of(), host -> Optional.empty());
    }

    /** Entries from files already parsed, not yet checked against the network policy. */
    public static OwnEntries of(Collection<ClientConfig> entries) {
        Map<String, ClientConfig> map = new HashMap<>();
        for (ClientConfig c : entries) {
            for (String d : c.domains()) {
                ClientConfig before = map.putIfAbsent(d, c);
                if (before != null && before != c) {
                    throw new IllegalArgumentException("domain " + d + " is listed by two entries ("
                            + before.id() + " and " + c.id() + ")");
                }
            }
        }
        return new OwnEntries(map, host -> Optional.empty());
    }

    /**
     * Reads the directory with the provider database's loader, which validates every file (the same
     * rules as the bundled entries); any error fails the whole load.
     */
    public static OwnEntries load(Path dir) throws IOException {
        try {
            return of(ProviderDatabase.load(dir).entries());
        } catch (ProviderDatabaseException e) {
            throw new IOException(e.getMessage()
                    + (e.problems().isEmpty() ? "" : ":\n  " + String.join("\n  ", e.problems())), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * The same entries, each server checked against the network policy (blocking: resolves every host
     * name once). Refused servers stay in lookups' answers, marked refused, and are left out of every
     * document served.
     */
    public OwnEntries checked(AddressCheck check) {
        return new OwnEntries(byDomain, check);
    }

    /** The servers left out for the network policy, per domain, as "host: reason". */
    public Map<String, List<String>> refusals() {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        served.forEach((d, s) -> {
            if (!s.refused().isEmpty()) {
                out.put(d, s.refused().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().failure())
                        .sorted().toList());
            }
        });
        return out;
    }

    public boolean isEmpty() {
        return byDomain.isEmpty();
    }

    public int domainCount() {
        return byDomain.size();
    }

    public Optional<ClientConfig> entry(String domain) {
        return Optional.ofNullable(byDomain.get(domain));
    }

    /** The config-v1.1 document of the domain's entry, placeholders kept, as served; empty when a direction has no usable server. */
    public Optional<byte[]> autoconfig(String domain) {
        Served s = served.get(domain);
        return s == null ? Optional.empty() : Optional.ofNullable(s.autoconfig());
    }

    /** Why the domain has no autoconfig document, or null. */
    public String autoconfigProblem(String domain) {
        Served s = served.get(domain);
        return s == null ? null : s.autoconfigProblem();
    }

    /** The PACC document of the domain, as served; empty when PACC cannot describe the entry. */
    public Optional<byte[]> pacc(String domain) {
        Served s = served.get(domain);
        return s == null ? Optional.empty() : Optional.ofNullable(s.pacc());
    }

    /** Why the domain has no PACC document, or null when it has one or is not an own domain. */
    public String paccProblem(String domain) {
        Served s = served.get(domain);
        return s == null ? null : s.paccProblem();
    }

    /**
     * The lookup answer for an address of an own domain: trusted, not probed, found by "providerdb"; a
     * server the network policy refused carries the refusal as its report. The entry's contacts, calendars
     * and JMAP endpoints are in it for the services asked for (those the policy refuses are left out).
     */
    public Optional<DiscoveryResult> resultFor(EmailAddress email, Set<Service> services) {
        Served s = served.get(email.domain());
        if (s == null) {
            return Optional.empty();
        }
        ClientConfig c = s.entry();
        NoClientAccess none = c.noClientAccess();
        return Optional.of(new DiscoveryResult(email.address(), email.domain(),
                new ProviderInfo(c.id() == null ? email.domain() : c.id(), c.name(), c.notes(), c.oauth2()),
                c.incoming().stream().map(x -> settings(x, email, s.refused())).toList(),
                c.outgoing().stream().map(x -> settings(x, email, s.refused())).toList(),
                endpoints(c, Service.CONTACTS, email, services, s.refused()),
                endpoints(c, Service.CALENDARS, email, services, s.refused()),
                endpoints(c, Service.JMAP, email, services, s.refused()),
                List.of(new SourceReport(SourceName.PROVIDER_DB, SourceStatus.FOUND, 0, "the operator's own entry")),
                List.of(), 0, none == null ? null
                        : new LookupError(LookupError.Code.NO_CLIENT_ACCESS, none.reason(), none.url(), none.bridge())));
    }

    private static List<ServiceSettings> endpoints(ClientConfig c, Service service, EmailAddress email,
                                                   Set<Service> asked, Map<String, ProbeReport> refused) {
        if (!asked.contains(service)) {
            return List.of();
        }
        return c.services(service).stream()
                .filter(x -> x.serverUrl().startsWith("https://"))
                .map(x -> new ServiceSettings(service, x.serverUrlFor(email), x.usernameFor(email), x.usernameTemplate(),
                        x.authentication(), true, false, List.of(SourceName.PROVIDER_DB), null,
                        "the operator's own entry is not probed"))
                .filter(x -> !refused.containsKey(x.host()))
                .toList();
    }

    private static ServerSettings settings(ServerConfig s, EmailAddress email, Map<String, ProbeReport> refused) {
        String host = s.hostnameFor(email);
        return new ServerSettings(s.protocol(), host, s.port(), s.security(), s.usernameFor(email),
                s.usernameTemplate(), s.authentication(), true, false, List.of(SourceName.PROVIDER_DB),
                refused.get(host));
    }
}
