package org.mailsetup.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.Service;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.config.ServiceConfig;

/**
 * The IETF PACC document ({@code /.well-known/user-agent-configuration.json}) for one domain of an
 * operator's own entry, and the digest of its exact bytes for the {@code _ua-auto-config} TXT record.
 *
 * <p>PACC has no port, security or username fields: it implies implicit TLS on 993 (IMAP), 995 (POP3)
 * and 465 (submission) and the full address as username, so only servers that match that are listed.
 * The submission server is written under both {@code smtp} (draft -02) and {@code submit} (draft -03);
 * clients ignore members they do not know. The entry's first https {@code carddav}, {@code caldav} and
 * {@code jmap} endpoints are written as {@code {"url": ...}} members when their URL is the same for every
 * address of the domain (no {@code %EMAILADDRESS%} or {@code %EMAILLOCALPART%}): the document is per domain.
 */
public final class PaccDocument {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PaccDocument() {
    }

    /**
     * The document bytes for this domain, or empty when PACC cannot describe an incoming and an outgoing
     * server of the entry ({@link #missing} says why): a client rejects a document without either.
     */
    public static Optional<byte[]> forDomain(ClientConfig entry, String domain) {
        Map<Protocol, ServerConfig> servers = describable(entry);
        if (missing(servers).isPresent()) {
            return Optional.empty();
        }
        ObjectNode protocols = JSON.createObjectNode();
        boolean password = false;
        for (Map.Entry<Protocol, ServerConfig> e : servers.entrySet()) {
            String host = e.getValue().hostname().replace("%EMAILDOMAIN%", domain);
            ObjectNode server = JSON.createObjectNode().put("host", host);
            if (e.getKey() == Protocol.SMTP) {
                protocols.set("smtp", server);
                protocols.set("submit", server.deepCopy());
            } else {
                protocols.set(e.getKey().jsonName(), server);
            }
            password |= e.getValue().authentication().isEmpty() || e.getValue().authentication().stream()
                    .anyMatch(a -> a.startsWith("password-"));
        }
        for (Service service : List.of(Service.JMAP, Service.CALENDARS, Service.CONTACTS)) {
            entry.services(service).stream()
                    .map(ServiceConfig::serverUrl)
                    .filter(u -> u.startsWith("https://") && !u.contains("%EMAILADDRESS%") && !u.contains("%EMAILLOCALPART%"))
                    .findFirst()
                    .ifPresent(u -> protocols.putObject(service.protocol()).put("url", u.replace("%EMAILDOMAIN%", domain)));
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.set("protocols", protocols);
        ObjectNode auth = doc.putObject("authentication");
        auth.put("password", password);
        entry.oauth2Config().ifPresent(o -> auth.putObject("oauth-public")
                .put("issuer", o.issuer().contains("://") ? o.issuer() : "https://" + o.issuer()));
        ObjectNode info = doc.putObject("info");
        ObjectNode provider = info.putObject("provider").put("name", entry.name());
        if (entry.displayShortName() != null) {
            provider.put("shortName", entry.displayShortName());
        }
        if (!entry.documentation().isEmpty()) {
            info.putObject("help").put("documentation", entry.documentation().get(0).url());
        }
        try {
            return Optional.of(JSON.writeValueAsBytes(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON writer failed", e);
        }
    }

    /** Why {@link #forDomain} has no document for this entry: the direction PACC cannot describe; else empty. */
    public static Optional<String> missing(ClientConfig entry) {
        return missing(describable(entry));
    }

    private static Optional<String> missing(Map<Protocol, ServerConfig> servers) {
        List<String> gaps = new ArrayList<>();
        if (!servers.containsKey(Protocol.IMAP) && !servers.containsKey(Protocol.POP3)) {
            gaps.add("incoming (IMAP or POP3)");
        }
        if (!servers.containsKey(Protocol.SMTP)) {
            gaps.add("outgoing (SMTP)");
        }
        return gaps.isEmpty() ? Optional.empty() : Optional.of("PACC describes only implicit TLS on the standard "
                + "port (993, 995, 465) with the full address as username, and the entry has no such "
                + String.join(" and no such ", gaps) + " server");
    }

    /** Per protocol, the entry's first server that PACC can describe, in protocol order. */
    private static Map<Protocol, ServerConfig> describable(ClientConfig entry) {
        Map<Protocol, ServerConfig> out = new EnumMap<>(Protocol.class);
        for (Protocol p : Protocol.values()) {
            (p == Protocol.SMTP ? entry.outgoing() : entry.incoming()).stream()
                    .filter(c -> c.protocol() == p && c.security() == Security.TLS && c.port() == p.tlsPort()
                            && fullAddressLogin(c))
                    .findFirst()
                    .ifPresent(s -> out.put(p, s));
        }
        return out;
    }

    private static boolean fullAddressLogin(ServerConfig c) {
        return c.username() == null || c.username().isBlank() || c.username().equals("%EMAILADDRESS%");
    }

    /** The value of the {@code _ua-auto-config.<domain>} TXT record for these exact document bytes. */
    public static String txtRecord(byte[] document) {
        return "v=UAAC1; a=sha256; d=" + Base64.getEncoder().encodeToString(sha256(document));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
