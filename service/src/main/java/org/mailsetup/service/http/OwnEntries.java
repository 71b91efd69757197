package org.mailsetup.service.http;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;
import org.mailsetup.LookupError;
import org.mailsetup.ProviderInfo;
import org.mailsetup.ServerSettings;
import org.mailsetup.SourceName;
import org.mailsetup.SourceReport;
import org.mailsetup.SourceStatus;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.NoClientAccess;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.format.ClientConfigWriter;
import org.mailsetup.format.PaccDocument;
import org.mailsetup.providerdb.ProviderDatabase;
import org.mailsetup.providerdb.ProviderDatabaseException;

/**
 * The operator's own domains ({@code --own-entries DIR}, config-v1.1 files as in the provider
 * database). For these domains the entry is the answer: discovery is not consulted. Every document
 * served for them (autoconfig XML, PACC JSON) is serialised once, here, so its bytes never change
 * while the server runs, which the PACC digest in DNS relies on.
 */
public final class OwnEntries {

    private final Map<String, ClientConfig> byDomain;
    private final Map<String, byte[]> autoconfig = new HashMap<>();
    private final Map<String, byte[]> pacc = new HashMap<>();

    private OwnEntries(Map<String, ClientConfig> byDomain) {
        this.byDomain = Map.copyOf(byDomain);
        for (Map.Entry<String, ClientConfig> e : this.byDomain.entrySet()) {
            if (e.getValue().noClientAccess() != null) {
                continue; // nothing a mail client could be handed
            }
            autoconfig.put(e.getKey(), ClientConfigWriter.write(e.getValue()));
            PaccDocument.forDomain(e.getValue(), e.getKey()).ifPresent(doc -> pacc.put(e.getKey(), doc));
        }
    }

    public static OwnEntries none() {
        return new OwnEntries(Map.of());
    }

    /** Entries from files already parsed. A domain listed by two entries is an error. */
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
        return new OwnEntries(map);
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

    public boolean isEmpty() {
        return byDomain.isEmpty();
    }

    public int domainCount() {
        return byDomain.size();
    }

    public Optional<ClientConfig> entry(String domain) {
        return Optional.ofNullable(byDomain.get(domain));
    }

    /** The config-v1.1 document of the domain's entry, placeholders kept, as served. */
    public Optional<byte[]> autoconfig(String domain) {
        return Optional.ofNullable(autoconfig.get(domain));
    }

    /** The PACC document of the domain, as served; empty when PACC cannot describe the entry. */
    public Optional<byte[]> pacc(String domain) {
        return Optional.ofNullable(pacc.get(domain));
    }

    /** The lookup answer for an address of an own domain: trusted, not probed, found by "providerdb". */
    public Optional<DiscoveryResult> resultFor(EmailAddress email) {
        ClientConfig c = byDomain.get(email.domain());
        if (c == null) {
            return Optional.empty();
        }
        NoClientAccess none = c.noClientAccess();
        return Optional.of(new DiscoveryResult(email.address(), email.domain(),
                new ProviderInfo(c.id() == null ? email.domain() : c.id(), c.name(), c.notes(), c.oauth2()),
                c.incoming().stream().map(s -> settings(s, email)).toList(),
                c.outgoing().stream().map(s -> settings(s, email)).toList(),
                List.of(new SourceReport(SourceName.PROVIDER_DB, SourceStatus.FOUND, 0, "the operator's own entry")),
                List.of(), 0, none == null ? null
                        : new LookupError(LookupError.Code.NO_CLIENT_ACCESS, none.reason(), none.url(), none.bridge())));
    }

    private static ServerSettings settings(ServerConfig s, EmailAddress email) {
        return new ServerSettings(s.protocol(), s.hostnameFor(email), s.port(), s.security(), s.usernameFor(email),
                s.authentication(), true, false, List.of(SourceName.PROVIDER_DB), null);
    }
}
