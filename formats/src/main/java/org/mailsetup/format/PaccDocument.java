package org.mailsetup.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ServerConfig;

/**
 * The IETF PACC document ({@code /.well-known/user-agent-configuration.json}) for one domain of an
 * operator's own entry, and the digest of its exact bytes for the {@code _ua-auto-config} TXT record.
 *
 * <p>PACC has no port, security or username fields: it implies implicit TLS on 993 (IMAP), 995 (POP3)
 * and 465 (submission) and the full address as username, so only servers that match that are listed.
 * The submission server is written under both {@code smtp} (draft -02) and {@code submit} (draft -03);
 * clients ignore members they do not know.
 */
public final class PaccDocument {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PaccDocument() {
    }

    /** The document bytes for this domain, or empty when the entry has no server PACC can describe. */
    public static Optional<byte[]> forDomain(ClientConfig entry, String domain) {
        ObjectNode protocols = JSON.createObjectNode();
        boolean password = false;
        for (Protocol p : Protocol.values()) {
            Optional<ServerConfig> s = (p == Protocol.SMTP ? entry.outgoing() : entry.incoming()).stream()
                    .filter(c -> c.protocol() == p && c.security() == Security.TLS && c.port() == p.tlsPort()
                            && fullAddressLogin(c))
                    .findFirst();
            if (s.isEmpty()) {
                continue;
            }
            String host = s.get().hostname().replace("%EMAILDOMAIN%", domain);
            ObjectNode server = JSON.createObjectNode().put("host", host);
            if (p == Protocol.SMTP) {
                protocols.set("smtp", server);
                protocols.set("submit", server.deepCopy());
            } else {
                protocols.set(p.jsonName(), server);
            }
            password |= s.get().authentication().isEmpty() || s.get().authentication().stream()
                    .anyMatch(a -> a.startsWith("password-"));
        }
        if (protocols.isEmpty()) {
            return Optional.empty();
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
