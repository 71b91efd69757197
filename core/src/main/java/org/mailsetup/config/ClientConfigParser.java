package org.mailsetup.config;

import com.fasterxml.jackson.dataformat.xml.deser.FromXmlParser;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.Service;
import org.mailsetup.config.ClientConfigXml.BridgeXml;
import org.mailsetup.config.ClientConfigXml.ConfigXml;
import org.mailsetup.config.ClientConfigXml.DocXml;
import org.mailsetup.config.ClientConfigXml.NoteXml;
import org.mailsetup.config.ClientConfigXml.ProviderXml;
import org.mailsetup.config.ClientConfigXml.ServerXml;
import org.mailsetup.config.ClientConfigXml.ServiceXml;

/**
 * Reads config-v1.1 documents (Mozilla autoconfig, the ISPDB, and mailsetup's provider database)
 * safely, through {@link ClientConfigXml}: no DTDs or external entities, a size cap, and every field
 * checked. A server with a bad field is dropped with a warning; a document with no usable server is
 * rejected.
 */
public final class ClientConfigParser {

    /** XML namespace of mailsetup's extension elements ({@code mxHost}, {@code note}, {@code noClientAccess}, ...). */
    public static final String EXTENSION_NAMESPACE = "urn:mailsetup:provider:1";

    /** The largest document {@link #parse(byte[])} reads; anything bigger is refused unread. */
    public static final int MAX_BYTES = SafeXml.MAX_BYTES;

    /** The config-v1.1 authentication values mailsetup understands. */
    public static final Set<String> AUTHENTICATION_VALUES = Set.of(
            "password-cleartext", "password-encrypted", "OAuth2", "client-IP-address", "TLS-client-cert",
            "none", "NTLM", "GSSAPI", "smtp-after-pop");

    /**
     * The authentication values of {@code <addressBook>}, {@code <calendar>} and {@code <ms:jmap>}; {@code basic}
     * and {@code digest} (with {@code system="http"}) are read as {@code http-basic} and {@code http-digest}.
     */
    public static final Set<String> SERVICE_AUTHENTICATION_VALUES = Set.of("http-basic", "http-digest", "OAuth2");

    /** A parsed document with what was dropped from it. */
    public record Result(ClientConfig config, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private ClientConfigParser() {
    }

    /** Parses and sanitises a document; never returns a config without at least one usable server. */
    public static Result parse(byte[] body) throws InvalidConfigException {
        ConfigXml xml;
        try {
            xml = ClientConfigXml.read(body);
        } catch (IOException e) {
            throw new InvalidConfigException("not a well-formed config-v1.1 document: " + firstLine(e.getMessage()), e);
        }
        String root = rootElement(body);
        if (!"clientConfig".equals(root)) {
            throw new InvalidConfigException("root element is <" + root + ">, not <clientConfig>");
        }
        if (xml == null || xml.emailProvider == null) {
            throw new InvalidConfigException("no <emailProvider> element");
        }
        return convert(xml);
    }

    // Jackson binds any root element; a config document must be <clientConfig>. Only called on a body
    // SafeXml already accepted, so it is well-formed, small and free of DTDs.
    private static String rootElement(byte[] body) throws InvalidConfigException {
        try (var parser = (FromXmlParser) SafeXml.mapper().createParser(body)) {
            return parser.getStaxReader().getLocalName();
        } catch (IOException | IllegalStateException e) {
            throw new InvalidConfigException("not a well-formed config-v1.1 document: " + firstLine(e.getMessage()), e);
        }
    }

    private static Result convert(ConfigXml xml) throws InvalidConfigException {
        ProviderXml p = xml.emailProvider;
        List<String> warnings = new ArrayList<>();
        Set<String> domains = new LinkedHashSet<>();
        for (String d : p.domain) {
            String n = HostNames.normalize(d);
            if (HostNames.isValid(n)) {
                domains.add(n);
            } else {
                warnings.add("domain '" + d.strip() + "' is not a valid domain name; ignored");
            }
        }
        List<ServerConfig> incoming = servers(p.incomingServer, true, warnings);
        List<ServerConfig> outgoing = servers(p.outgoingServer, false, warnings);
        NoClientAccess noClientAccess = noClientAccess(p, warnings);
        if (incoming.isEmpty() && outgoing.isEmpty() && noClientAccess == null) {
            throw new InvalidConfigException("no usable incoming or outgoing server"
                    + (warnings.isEmpty() ? "" : ": " + String.join("; ", warnings)));
        }
        List<Documentation> docs = new ArrayList<>();
        for (DocXml d : p.documentation) {
            String text = d.descr.stream().map(x -> x.text).filter(t -> t != null && !t.isBlank())
                    .map(String::strip).findFirst().orElse(null);
            if (d.url != null && !d.url.isBlank()) {
                docs.add(new Documentation(d.url.strip(), text));
            }
        }
        List<ProviderNote> notes = new ArrayList<>();
        for (NoteXml n : p.note) {
            String type = n.type == null || n.type.isBlank() ? "other" : n.type.strip();
            if (!ProviderNote.TYPES.contains(type)) {
                warnings.add("note type '" + type + "' is unknown; treated as 'other'");
                type = "other";
            }
            notes.add(new ProviderNote(type, blankToNull(n.url), n.text == null ? "" : n.text.strip()));
        }
        List<String> mx = p.mxHost.stream().map(HostNames::normalize).filter(s -> !s.isEmpty()).toList();
        LocalDate verified = null;
        if (p.lastVerified != null && !p.lastVerified.isBlank()) {
            try {
                verified = LocalDate.parse(p.lastVerified.strip());
            } catch (DateTimeParseException e) {
                warnings.add("lastVerified '" + p.lastVerified.strip() + "' is not a date (YYYY-MM-DD); ignored");
            }
        }
        OAuth2Config oauth = null;
        if (xml.oAuth2 != null && xml.oAuth2.issuer != null) {
            List<String> scopes = xml.oAuth2.scope == null ? List.of()
                    : List.of(xml.oAuth2.scope.strip().split("\\s+"));
            oauth = new OAuth2Config(xml.oAuth2.issuer.strip(), scopes,
                    blankToNull(xml.oAuth2.authURL), blankToNull(xml.oAuth2.tokenURL));
        }
        List<ServiceConfig> services = new ArrayList<>();
        services(xml.addressBook, "addressBook", Service.CONTACTS, services, warnings);
        services(xml.calendar, "calendar", Service.CALENDARS, services, warnings);
        services(xml.jmap, "ms:jmap", Service.JMAP, services, warnings);
        String id = blankToNull(p.id);
        return new Result(new ClientConfig(id, List.copyOf(domains), blankToNull(p.displayName),
                blankToNull(p.displayShortName), incoming, outgoing, docs, mx, notes, verified, oauth, noClientAccess,
                services), warnings);
    }

    private static void services(List<ServiceXml> list, String element, Service service, List<ServiceConfig> out,
                                 List<String> warnings) {
        for (ServiceXml s : list) {
            String where = element + (s.type == null ? "" : " type='" + s.type.strip() + "'");
            // <ms:jmap> needs no type; the DAV elements must say which protocol they are.
            if (!(service == Service.JMAP && s.type == null)
                    && Service.fromProtocol(s.type).filter(t -> t == service).isEmpty()) {
                warnings.add(where + " is not " + service.protocol() + "; ignored");
                continue;
            }
            String url = s.serverURL == null ? "" : s.serverURL.strip();
            String problem = urlProblem(url);
            if (problem != null) {
                warnings.add(where + ": serverURL " + problem + "; ignored");
                continue;
            }
            String username = s.username == null ? null : s.username.strip();
            if (username != null && Placeholders.problem(username) != null) {
                warnings.add(where + ": username " + Placeholders.problem(username) + "; using the full address");
                username = "%EMAILADDRESS%";
            }
            List<String> auth = new ArrayList<>();
            for (var a : s.authentication) {
                String v = serviceAuthentication(a.text);
                if (v != null) {
                    auth.add(v);
                } else if (a.text != null && !a.text.isBlank()) {
                    warnings.add(where + ": authentication '" + a.text.strip() + "' is unknown; ignored");
                }
            }
            out.add(new ServiceConfig(service, url, blankToNull(username), auth));
        }
    }

    /** Null when the URL is an absolute http(s) URL with a valid host, placeholders allowed; else what is wrong. */
    private static String urlProblem(String url) {
        if (url.isEmpty()) {
            return "is missing";
        }
        String placeholders = Placeholders.problem(url);
        if (placeholders != null) {
            return placeholders;
        }
        try {
            URI u = new URI(url.replace("%EMAILADDRESS%", "a@example.com").replace("%EMAILLOCALPART%", "a")
                    .replace("%EMAILDOMAIN%", "example.com"));
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                return "'" + url + "' is not an http(s) URL";
            }
            if (u.getHost() == null || !HostNames.isValid(HostNames.normalize(u.getHost()))) {
                return "'" + url + "' has no valid host name";
            }
            return null;
        } catch (URISyntaxException e) {
            return "'" + url + "' is not a URL";
        }
    }

    private static String serviceAuthentication(String value) {
        String v = value == null ? "" : value.strip();
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "http-basic", "basic", "password-cleartext" -> "http-basic";
            case "http-digest", "digest", "password-encrypted" -> "http-digest";
            case "oauth2" -> "OAuth2";
            default -> null;
        };
    }

    /** ms:noClientAccess and its ms:bridge endpoints; bridge endpoints are shown to users, never connected to. */
    private static NoClientAccess noClientAccess(ProviderXml p, List<String> warnings) {
        if (p.noClientAccess == null) {
            if (!p.bridge.isEmpty()) {
                warnings.add("ms:bridge outside an ms:noClientAccess entry; ignored");
            }
            return null;
        }
        List<NoClientAccess.Bridge> bridges = new ArrayList<>();
        for (BridgeXml b : p.bridge) {
            Protocol protocol = Protocol.fromServerType(b.type).orElse(null);
            Security security = Security.fromSocketType(b.socketType).orElse(null);
            int port;
            try {
                port = Integer.parseInt(b.port == null ? "" : b.port.strip());
            } catch (NumberFormatException e) {
                port = 0;
            }
            if (protocol == null || security == null || port < 1 || port > 65535 || blankToNull(b.host) == null) {
                warnings.add("ms:bridge type='" + b.type + "' host='" + b.host + "' is incomplete; ignored");
                continue;
            }
            bridges.add(new NoClientAccess.Bridge(protocol, b.host.strip(), port, security));
        }
        String reason = p.noClientAccess.text == null ? "" : p.noClientAccess.text.strip();
        return new NoClientAccess(reason, blankToNull(p.noClientAccess.url), bridges);
    }

    private static List<ServerConfig> servers(List<ServerXml> list, boolean incoming, List<String> warnings) {
        List<ServerConfig> out = new ArrayList<>();
        for (ServerXml s : list) {
            String where = (incoming ? "incomingServer" : "outgoingServer") + " type='" + s.type + "'";
            Protocol protocol = Protocol.fromServerType(s.type).filter(p -> p.isIncoming() == incoming).orElse(null);
            if (protocol == null) {
                warnings.add(where + " is not a supported protocol; ignored");
                continue;
            }
            String host = s.hostname == null ? "" : HostNames.normalize(s.hostname);
            if (!HostNames.isValid(host.replace("%emaildomain%", "example.com"))) {
                warnings.add(where + ": host name '" + host + "' is not valid; server ignored");
                continue;
            }
            // The hostname template may use %EMAILDOMAIN%; normalise() lower-cased it.
            host = host.replace("%emaildomain%", "%EMAILDOMAIN%");
            int port;
            try {
                port = Integer.parseInt(s.port == null ? "" : s.port.strip());
            } catch (NumberFormatException e) {
                warnings.add(where + ": port '" + s.port + "' is not a number; server ignored");
                continue;
            }
            if (port < 1 || port > 65535) {
                warnings.add(where + ": port " + port + " is out of range; server ignored");
                continue;
            }
            Security security = Security.fromSocketType(s.socketType).orElse(null);
            if (security == null) {
                warnings.add(where + ": socketType '" + s.socketType + "' is unknown; server ignored");
                continue;
            }
            String username = s.username == null ? null : s.username.strip();
            if (username != null) {
                String problem = Placeholders.problem(username);
                if (problem != null) {
                    warnings.add(where + ": username " + problem + "; using the full address");
                    username = "%EMAILADDRESS%";
                }
            }
            List<String> auth = new ArrayList<>();
            for (String a : s.authentication) {
                String v = a == null ? "" : a.strip();
                if (AUTHENTICATION_VALUES.contains(v)) {
                    auth.add(v);
                } else if (!v.isEmpty()) {
                    warnings.add(where + ": authentication '" + v + "' is unknown; ignored");
                }
            }
            out.add(new ServerConfig(protocol, host, port, security, username, auth));
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
