package org.mailsetup.providerdb;

import com.google.common.net.InternetDomainName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.ValidatorHandler;
import org.mailsetup.EmailAddress;
import org.mailsetup.InvalidEmailException;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.Service;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.HostNames;
import org.mailsetup.config.InvalidConfigException;
import org.mailsetup.config.Placeholders;
import org.mailsetup.config.ProviderNote;
import org.mailsetup.config.SafeXml;
import org.w3c.dom.ls.LSInput;
import org.xml.sax.Attributes;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Checks provider entry files: first against {@code provider-entry.xsd} (structure, with line numbers),
 * then the rules a schema cannot express (values, counts, cross-file claims). Every finding is a
 * {@link Diagnostic}; nothing here throws on bad input. Thread-safe.
 *
 * <p>A file is read as SAX events under {@link SafeXml}'s rules, since every finding needs its line and
 * the Jackson binding of {@link org.mailsetup.config.ClientConfigXml} keeps none; the config-v1.1 words
 * are {@link Protocol}'s and {@link Security}'s, and the last check reads the file through that codec
 * exactly as the loader will ({@link ClientConfigParser}).
 */
public final class ProviderValidator {

    /** Class-path location of the entry schema. */
    public static final String SCHEMA_RESOURCE = "/org/mailsetup/providerdb/provider-entry.xsd";
    private static final String EXTENSION_SCHEMA_RESOURCE = "/org/mailsetup/providerdb/provider-extension.xsd";
    private static final String NS = ClientConfigParser.EXTENSION_NAMESPACE;

    private static final Set<String> SERVER_TYPES =
            Arrays.stream(Protocol.values()).map(Protocol::serverType).collect(Collectors.toSet());
    private static final Set<String> SOCKET_TYPES =
            Arrays.stream(Security.values()).map(Security::socketType).collect(Collectors.toSet());
    private static final Set<Integer> STARTTLS_PORTS =
            Arrays.stream(Protocol.values()).map(Protocol::starttlsPort).collect(Collectors.toSet());
    private static final Set<Integer> TLS_PORTS =
            Arrays.stream(Protocol.values()).map(Protocol::tlsPort).collect(Collectors.toSet());
    private static final Pattern XERCES_CODE = Pattern.compile("^cvc-[\\w.-]+: ");

    private final Clock clock;
    private final boolean requireSource;

    /** The curated database's rules, against today's date on the system clock. */
    public ProviderValidator() {
        this(Clock.systemUTC());
    }

    /** @param clock decides what "in the future" means for {@code added} and {@code lastVerified} */
    public ProviderValidator(Clock clock) {
        this(clock, true);
    }

    private ProviderValidator(Clock clock, boolean requireSource) {
        this.clock = Objects.requireNonNull(clock);
        this.requireSource = requireSource;
    }

    /**
     * The rules for an operator's own entries: the same, except that they need not name a source (they
     * describe the operator's own servers, not facts taken from elsewhere).
     */
    public static ProviderValidator forOwnEntries() {
        return new ProviderValidator(Clock.systemUTC(), false);
    }

    /** Validates every {@code *.xml} file directly in dir. */
    public ValidationReport validate(Path dir) throws IOException {
        return validate(ProviderFile.readDirectory(dir));
    }

    /** Validates the entries bundled in this module's jar. */
    public ValidationReport validateBundled() {
        return validate(ProviderFile.readBundled());
    }

    /** Validates a set of files as one database: each on its own, then their claims against each other. */
    public ValidationReport validate(List<ProviderFile> files) {
        List<Diagnostic> out = new ArrayList<>();
        List<Claims> claims = new ArrayList<>();
        // A parser factory is not thread-safe; one per call keeps the validator shareable.
        SAXParserFactory sax = SafeXml.saxParserFactory();
        for (ProviderFile f : files) {
            claims.add(new FileCheck(f, sax, out).run());
        }
        checkClaims(claims, out);
        return new ValidationReport(files.size(), out);
    }

    // ---- schema ----

    private static final class SchemaHolder {
        static final Schema SCHEMA = compile();

        private static Schema compile() {
            try {
                SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
                sf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                sf.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                sf.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
                // The only import is our own extension schema; serve it from the class path, nothing else.
                sf.setResourceResolver((type, namespace, publicId, systemId, baseUri) ->
                        NS.equals(namespace) ? new ClasspathInput(EXTENSION_SCHEMA_RESOURCE) : null);
                URL main = Objects.requireNonNull(ProviderValidator.class.getResource(SCHEMA_RESOURCE), SCHEMA_RESOURCE);
                try (InputStream in = main.openStream()) {
                    return sf.newSchema(new StreamSource(in, main.toString()));
                }
            } catch (SAXException | IOException e) {
                throw new IllegalStateException("cannot load the provider entry schema " + SCHEMA_RESOURCE, e);
            }
        }
    }

    // ---- one file ----

    /** What a file claims, with lines, for the cross-file checks. */
    private record Claims(ProviderFile file, Map<String, Integer> domains, Map<String, Integer> mxPatterns) {
    }

    private final class FileCheck {
        final ProviderFile file;
        final SAXParserFactory sax;
        final List<Diagnostic> out;
        final Map<String, Integer> domains = new LinkedHashMap<>();
        final Map<String, Integer> mx = new LinkedHashMap<>();
        int errors;

        FileCheck(ProviderFile file, SAXParserFactory sax, List<Diagnostic> out) {
            this.file = file;
            this.sax = sax;
            this.out = out;
        }

        void error(int line, String message) {
            errors++;
            out.add(new Diagnostic(file.label(), line, Diagnostic.Severity.ERROR, message));
        }

        void warning(int line, String message) {
            out.add(new Diagnostic(file.label(), line, Diagnostic.Severity.WARNING, message));
        }

        Claims run() {
            Claims claims = new Claims(file, domains, mx);
            if (file.content().length > SafeXml.MAX_BYTES) {
                error(1, "file is larger than " + SafeXml.MAX_BYTES + " bytes");
                return claims;
            }
            Element root = parse();
            if (root == null) {
                return claims;
            }
            checkDocument(root);
            if (errors == 0) {
                crossCheckWithParser(root);
            }
            return claims;
        }

        /** Parses with schema validation on the way; null when the file is not well-formed. */
        Element parse() {
            TreeBuilder tree = new TreeBuilder();
            ErrorHandler handler = new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                    FileCheck.this.warning(e.getLineNumber(), clean(e));
                }

                @Override
                public void error(SAXParseException e) {
                    FileCheck.this.error(e.getLineNumber(), clean(e));
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            };
            try {
                ValidatorHandler vh = SchemaHolder.SCHEMA.newValidatorHandler();
                vh.setErrorHandler(handler);
                vh.setContentHandler(tree);
                XMLReader reader = sax.newSAXParser().getXMLReader();
                reader.setContentHandler(vh);
                reader.setErrorHandler(handler);
                InputSource in = new InputSource(new ByteArrayInputStream(file.content()));
                in.setSystemId(file.name());
                reader.parse(in);
                return tree.root;
            } catch (SAXParseException e) {
                String m = clean(e);
                error(Math.max(e.getLineNumber(), 1), m.startsWith("DOCTYPE") ? m : "not well-formed XML: " + m);
                return null;
            } catch (SAXException | IOException | ParserConfigurationException e) {
                error(1, "cannot be read as XML: " + e.getMessage());
                return null;
            }
        }

        void checkDocument(Element root) {
            if (!root.isLocal("clientConfig")) {
                return; // the schema has already said so
            }
            String version = root.attr("version");
            if (version != null && !version.equals("1.1")) {
                error(root.line, "clientConfig version must be \"1.1\", not \"" + version + "\"");
            }
            List<Element> providers = root.children("emailProvider");
            if (providers.size() != 1) {
                error(root.line, "an entry has exactly one <emailProvider>; found " + providers.size());
            }
            if (providers.isEmpty()) {
                return;
            }
            Element p = providers.get(0);
            String id = p.attr("id");
            if (id != null && !id.equals(file.stem())) {
                error(p.line, "provider id \"" + id + "\" does not match the file name " + file.name()
                        + " (expected id=\"" + file.stem() + "\")");
            }
            checkDomains(p);
            checkNames(p);
            List<Element> incoming = p.children("incomingServer");
            List<Element> outgoing = p.children("outgoingServer");
            if (checkNoClientAccess(p)) {
                if (!incoming.isEmpty() || !outgoing.isEmpty()) {
                    error((incoming.isEmpty() ? outgoing : incoming).get(0).line, "an ms:noClientAccess entry lists"
                            + " no servers: a lookup never offers them (a local bridge program's go in ms:bridge)");
                }
            } else {
                if (incoming.isEmpty()) {
                    error(p.line, "no <incomingServer>: an entry needs at least one IMAP or POP3 server");
                }
                if (outgoing.isEmpty()) {
                    error(p.line, "no <outgoingServer>: an entry needs at least one SMTP server");
                }
            }
            Map<String, Integer> seen = new HashMap<>();
            incoming.forEach(s -> checkServer(s, true, seen));
            outgoing.forEach(s -> checkServer(s, false, seen));
            for (Element d : p.children("documentation")) {
                checkHttps(d.attr("url"), d.line, "documentation url");
            }
            checkSources(p);
            checkMxHosts(p);
            checkNotes(p);
            checkDate(p, "added");
            checkDate(p, "lastVerified");
            checkOAuth2(root);
            checkServices(root);
        }

        void checkDomains(Element p) {
            List<Element> list = p.children("domain");
            // A platform that only hosts custom domains has no email domain of its own and is found by MX.
            if (list.isEmpty() && p.childrenNs(NS, "mxHost").isEmpty()) {
                error(p.line, "no <domain> and no <ms:mxHost>: an entry must list at least one email domain,"
                        + " or, for a platform that only hosts custom domains, its MX hosts");
            }
            for (Element e : list) {
                String d = e.text();
                if (d.isEmpty()) {
                    error(e.line, "empty <domain>");
                    continue;
                }
                String canonical;
                try {
                    canonical = EmailAddress.parse("x@" + d).domain();
                } catch (InvalidEmailException ex) {
                    error(e.line, "<domain>: " + ex.getMessage());
                    continue;
                }
                if (!canonical.equals(d)) {
                    error(e.line, "domain '" + d + "' must be written as the lower-case A-label '" + canonical + "'");
                    continue;
                }
                Integer first = domains.putIfAbsent(d, e.line);
                if (first != null) {
                    error(e.line, "domain '" + d + "' is listed twice (first on line " + first + ")");
                }
            }
        }

        void checkNames(Element p) {
            List<Element> names = p.children("displayName");
            if (names.isEmpty()) {
                error(p.line, "no <displayName>");
            } else if (names.size() > 1) {
                error(names.get(1).line, "more than one <displayName>");
            } else if (names.get(0).text().isEmpty()) {
                error(names.get(0).line, "empty <displayName>");
            }
            List<Element> shortNames = p.children("displayShortName");
            if (shortNames.size() > 1) {
                error(shortNames.get(1).line, "more than one <displayShortName>");
            }
        }

        void checkServer(Element s, boolean incoming, Map<String, Integer> seen) {
            String element = incoming ? "incomingServer" : "outgoingServer";
            String type = s.attr("type");
            if (type != null) {
                // Entries spell the word exactly; the loader would also take other cases.
                boolean ok = Protocol.fromServerType(type)
                        .filter(p -> p.serverType().equals(type) && p.isIncoming() == incoming).isPresent();
                if (!ok) {
                    error(s.line, element + " type \"" + type + "\" is not supported; use "
                            + (incoming ? "imap or pop3" : "smtp"));
                }
            }
            Element hostEl = single(s, "hostname", true);
            Element portEl = single(s, "port", true);
            Element socketEl = single(s, "socketType", true);
            Element userEl = single(s, "username", true);
            String host = hostEl == null ? null : checkServerHost(hostEl);
            Integer port = portEl == null ? null : checkPort(portEl);
            String socket = socketEl == null ? null : socketEl.text();
            if (socket != null && !SOCKET_TYPES.contains(socket)) {
                error(socketEl.line, "socketType \"" + socket + "\" is not one of SSL, STARTTLS, plain");
                socket = null;
            }
            // Entries spell the word exactly (checked above); what it means is Security's.
            Security security = socket == null ? null : Security.fromSocketType(socket).orElseThrow();
            String unusual = s.nsAttr(NS, "unusualPort");
            if (unusual != null && !unusual.equals("true")) {
                error(s.line, "ms:unusualPort must be \"true\" (or left out), not \"" + unusual + "\"");
                unusual = null;
            }
            if (socket != null && port != null) {
                String mismatch = null;
                if (security == Security.TLS && STARTTLS_PORTS.contains(port)) {
                    mismatch = "socketType SSL (implicit TLS) on port " + port + ", which is a STARTTLS port";
                } else if (security == Security.STARTTLS && TLS_PORTS.contains(port)) {
                    mismatch = "socketType STARTTLS on port " + port + ", which is an implicit-TLS port";
                }
                if (mismatch == null && unusual != null) {
                    warning(s.line, "ms:unusualPort is set but " + socket + " on port " + port + " is not unusual; remove it");
                } else if (mismatch != null && unusual != null) {
                    // Some providers really do this (Charter: SSL on 587); the marker says a reviewer checked.
                    warning(socketEl.line, mismatch + " (confirmed by ms:unusualPort)");
                } else if (mismatch != null) {
                    error(socketEl.line, mismatch + (security == Security.TLS
                            ? "; use STARTTLS, or port 993/995/465" : "; use SSL, or port 143/110/587")
                            + " (if the provider really does this, mark the server ms:unusualPort=\"true\")");
                }
            }
            if (security == Security.PLAIN) {
                warning(socketEl.line, "plain connection: passwords and mail cross the network unencrypted");
            }
            if (userEl != null) {
                String problem = Placeholders.problem(userEl.text());
                if (userEl.text().isEmpty()) {
                    error(userEl.line, "empty <username>; use a template such as %EMAILADDRESS%");
                } else if (problem != null) {
                    error(userEl.line, "username: " + problem);
                }
            }
            List<Element> auth = s.children("authentication");
            if (auth.isEmpty()) {
                error(s.line, "no <authentication> in " + element);
            }
            Set<String> authSeen = new HashSet<>();
            for (Element a : auth) {
                String v = a.text();
                if (!ClientConfigParser.AUTHENTICATION_VALUES.contains(v)) {
                    error(a.line, "authentication \"" + v + "\" is not one of "
                            + String.join(", ", new TreeSet<>(ClientConfigParser.AUTHENTICATION_VALUES)));
                } else if (!authSeen.add(v)) {
                    warning(a.line, "authentication \"" + v + "\" is listed twice");
                }
            }
            if (host != null && port != null && socket != null && type != null) {
                Integer first = seen.putIfAbsent(type + " " + host + ":" + port + " " + socket, s.line);
                if (first != null) {
                    warning(s.line, "the same server as on line " + first);
                }
            }
        }

        /** The element with this name; reports a missing (when required) or repeated one. */
        Element single(Element parent, String name, boolean required) {
            List<Element> list = parent.children(name);
            if (list.isEmpty()) {
                if (required) {
                    error(parent.line, "no <" + name + "> in " + parent.local);
                }
                return null;
            }
            if (list.size() > 1) {
                error(list.get(1).line, "more than one <" + name + "> in " + parent.local);
            }
            return list.get(0);
        }

        String checkServerHost(Element e) {
            String host = e.text();
            String problem = Placeholders.problem(host);
            if (problem != null) {
                error(e.line, "hostname: " + problem);
                return null;
            }
            if (host.contains("%EMAILADDRESS%") || host.contains("%EMAILLOCALPART%")) {
                error(e.line, "hostname '" + host + "' may only use the %EMAILDOMAIN% placeholder");
                return null;
            }
            String withoutPlaceholder = host.replace("%EMAILDOMAIN%", "");
            if (!withoutPlaceholder.equals(withoutPlaceholder.toLowerCase(Locale.ROOT))) {
                error(e.line, "hostname '" + host + "' must be lower case");
                return null;
            }
            if (!HostNames.isValid(host.replace("%EMAILDOMAIN%", "example.com"))) {
                error(e.line, "hostname '" + host + "' is not a valid host name");
                return null;
            }
            return host;
        }

        Integer checkPort(Element e) {
            String text = e.text();
            int port;
            try {
                port = Integer.parseInt(text);
            } catch (NumberFormatException ex) {
                error(e.line, "port '" + text + "' is not a number");
                return null;
            }
            if (port < 1 || port > 65535) {
                error(e.line, "port " + port + " is out of range (1-65535)");
                return null;
            }
            return port;
        }

        void checkMxHosts(Element p) {
            for (Element e : p.childrenNs(NS, "mxHost")) {
                String pattern = e.text();
                boolean wildcard = pattern.startsWith("*.");
                String host = wildcard ? pattern.substring(2) : pattern;
                if (!pattern.equals(pattern.toLowerCase(Locale.ROOT))) {
                    error(e.line, "MX pattern '" + pattern + "' must be lower case");
                } else if (host.contains("*")) {
                    error(e.line, "MX pattern '" + pattern + "' may only have '*.' at the start");
                } else if (wildcard && isPublicSuffix(host)) {
                    error(e.line, "MX pattern '" + pattern + "' covers the public suffix '" + host
                            + "'; name the provider's own MX domain");
                } else if (!HostNames.isValid(host)) {
                    error(e.line, "MX pattern '" + pattern + "' is neither a host name nor *.suffix");
                } else {
                    Integer first = mx.putIfAbsent(pattern, e.line);
                    if (first != null) {
                        warning(e.line, "MX pattern '" + pattern + "' is listed twice (first on line " + first + ")");
                    }
                }
            }
        }

        void checkNotes(Element p) {
            for (Element e : p.childrenNs(NS, "note")) {
                String type = e.attr("type");
                if (type != null && !ProviderNote.TYPES.contains(type)) {
                    error(e.line, "note type \"" + type + "\" is not one of "
                            + String.join(", ", new TreeSet<>(ProviderNote.TYPES)));
                }
                String url = e.attr("url");
                if (url != null) {
                    checkHttps(url, e.line, "note url");
                }
                if (e.text().isEmpty()) {
                    error(e.line, "empty note: say what the user has to do");
                }
            }
        }

        /** Every entry says where its facts come from: the provider's page, or the reference it was taken from. */
        void checkSources(Element p) {
            List<Element> sources = p.childrenNs(NS, "source");
            boolean unverified = p.childrenNs(NS, "note").stream().anyMatch(n -> "unverified".equals(n.attr("type")));
            if (sources.isEmpty() && p.children("documentation").isEmpty() && unverified) {
                // Kept because it may well be right, but every answer from it says that nothing backs it.
                warning(p.line, "no source on record; the entry is marked unverified until one is added");
            } else if (sources.isEmpty() && p.children("documentation").isEmpty() && requireSource) {
                error(p.line, "no source: name the provider's page (<documentation url> or <ms:source type=\"provider\">)"
                        + " or, where it has none, the public reference the entry was written from (<ms:source type=\"reference\">)");
            }
            for (Element e : sources) {
                String type = e.attr("type");
                if (type != null && !Provenance.SOURCE_TYPES.contains(type)) {
                    error(e.line, "source type \"" + type + "\" is not one of "
                            + String.join(", ", new TreeSet<>(Provenance.SOURCE_TYPES)));
                }
                checkHttps(e.attr("url"), e.line, "source url");
            }
        }

        /**
         * ms:noClientAccess (a reason and the provider's https page) and its ms:bridge endpoints, which must be
         * on the user's own computer: they are shown, never dialled, so they are exempt from the public-address
         * rule only because of that.
         *
         * @return whether the entry is of this kind
         */
        boolean checkNoClientAccess(Element p) {
            List<Element> list = p.childrenNs(NS, "noClientAccess");
            List<Element> bridges = p.childrenNs(NS, "bridge");
            if (list.isEmpty()) {
                if (!bridges.isEmpty()) {
                    error(bridges.get(0).line, "ms:bridge belongs to an ms:noClientAccess entry only");
                }
                return false;
            }
            if (list.size() > 1) {
                error(list.get(1).line, "more than one <ms:noClientAccess>");
            }
            Element n = list.get(0);
            if (n.text().isEmpty()) {
                error(n.line, "empty ms:noClientAccess: say what the provider offers instead");
            }
            checkHttps(n.attr("url"), n.line, "noClientAccess url");
            for (Element b : bridges) {
                String type = b.attr("type");
                if (type != null && !SERVER_TYPES.contains(type)) {
                    error(b.line, "bridge type \"" + type + "\" is not one of imap, pop3, smtp");
                }
                String host = b.attr("host");
                if (host != null && !Set.of("127.0.0.1", "::1", "localhost").contains(host)) {
                    error(b.line, "bridge host '" + host + "' is not on the user's computer (127.0.0.1, ::1 or localhost)");
                }
                String socket = b.attr("socketType");
                if (socket != null && !SOCKET_TYPES.contains(socket)) {
                    error(b.line, "bridge socketType \"" + socket + "\" is not one of SSL, STARTTLS, plain");
                }
                String port = b.attr("port");
                if (port != null && (!port.matches("[1-9][0-9]{0,4}") || Integer.parseInt(port) > 65535)) {
                    error(b.line, "bridge port '" + port + "' is not a port number (1-65535)");
                }
            }
            return true;
        }

        /** ms:added and ms:lastVerified: at most one each, a real date, not in the future. */
        void checkDate(Element p, String name) {
            List<Element> list = p.childrenNs(NS, name);
            if (list.size() > 1) {
                error(list.get(1).line, "more than one <ms:" + name + ">");
            }
            if (list.isEmpty()) {
                return;
            }
            Element e = list.get(0);
            try {
                LocalDate date = LocalDate.parse(e.text());
                // "Today" where the calendar is furthest ahead, so no contributor's time zone trips it.
                LocalDate latest = LocalDate.now(clock.withZone(ZoneOffset.MAX));
                if (date.isAfter(latest)) {
                    error(e.line, name + " " + date + " is in the future");
                }
            } catch (DateTimeParseException ex) {
                error(e.line, name + " '" + e.text() + "' is not a date (YYYY-MM-DD)");
            }
        }

        void checkOAuth2(Element root) {
            List<Element> list = root.children("oAuth2");
            if (list.size() > 1) {
                error(list.get(1).line, "more than one <oAuth2>");
            }
            if (list.isEmpty()) {
                return;
            }
            Element o = list.get(0);
            Element issuer = single(o, "issuer", true);
            Element scope = single(o, "scope", true);
            Element auth = single(o, "authURL", true);
            Element token = single(o, "tokenURL", true);
            if (issuer != null && issuer.text().isEmpty()) {
                error(issuer.line, "empty <issuer>");
            }
            if (scope != null && scope.text().isEmpty()) {
                error(scope.line, "empty <scope>");
            }
            if (auth != null) {
                checkHttps(auth.text(), auth.line, "authURL");
            }
            if (token != null) {
                checkHttps(token.text(), token.line, "tokenURL");
            }
        }

        /**
         * {@code <addressBook>}, {@code <calendar>} and {@code <ms:jmap>}: the protocol word, one https
         * {@code serverURL} (placeholders only in the path), the username template, the authentication
         * words, and the provider's page they come from ({@code ms:source}).
         */
        void checkServices(Element root) {
            Map<String, Integer> seen = new HashMap<>();
            for (Element e : root.children("addressBook")) {
                checkService(e, Service.CONTACTS, seen);
            }
            for (Element e : root.children("calendar")) {
                checkService(e, Service.CALENDARS, seen);
            }
            for (Element e : root.childrenNs(NS, "jmap")) {
                checkService(e, Service.JMAP, seen);
            }
        }

        void checkService(Element e, Service service, Map<String, Integer> seen) {
            String element = service == Service.JMAP ? "ms:jmap" : e.local;
            String type = e.attr("type");
            if (service == Service.JMAP ? type != null && !type.equals("jmap") : !service.protocol().equals(type)) {
                error(e.line, element + (type == null ? " has no type" : " type \"" + type + "\" is not supported")
                        + "; use " + (service == Service.JMAP ? "none" : "type=\"" + service.protocol() + "\""));
            }
            Element urlEl = single(e, "serverURL", true);
            String url = urlEl == null ? null : checkServiceUrl(urlEl, element);
            Element userEl = single(e, "username", false);
            if (userEl != null) {
                String problem = Placeholders.problem(userEl.text());
                if (userEl.text().isEmpty()) {
                    error(userEl.line, "empty <username>; leave it out for the full address");
                } else if (problem != null) {
                    error(userEl.line, "username: " + problem);
                }
            }
            Set<String> authSeen = new HashSet<>();
            for (Element a : e.children("authentication")) {
                String v = a.text();
                if (!ClientConfigParser.SERVICE_AUTHENTICATION_VALUES.contains(v)) {
                    error(a.line, element + " authentication \"" + v + "\" is not one of "
                            + String.join(", ", new TreeSet<>(ClientConfigParser.SERVICE_AUTHENTICATION_VALUES)));
                } else if (!authSeen.add(v)) {
                    warning(a.line, "authentication \"" + v + "\" is listed twice");
                }
            }
            String source = e.nsAttr(NS, "source");
            if (source != null) {
                checkHttps(source, e.line, element + " ms:source");
            } else if (requireSource) {
                error(e.line, element + " has no ms:source: name the provider's https page that gives this URL");
            }
            if (url != null) {
                Integer first = seen.putIfAbsent(service.id() + " " + url, e.line);
                if (first != null) {
                    warning(e.line, "the same " + element + " as on line " + first);
                }
            }
        }

        /** An absolute https URL with a valid lower-case host; placeholders only after the host. Null when wrong. */
        String checkServiceUrl(Element e, String element) {
            String url = e.text();
            String problem = Placeholders.problem(url);
            if (url.isEmpty()) {
                error(e.line, "empty <serverURL> in " + element);
                return null;
            }
            if (problem != null) {
                error(e.line, "serverURL: " + problem);
                return null;
            }
            URI uri;
            try {
                uri = new URI(url.replace("%EMAILADDRESS%", "a@example.com").replace("%EMAILLOCALPART%", "a")
                        .replace("%EMAILDOMAIN%", "example.com"));
            } catch (URISyntaxException ex) {
                error(e.line, "serverURL '" + url + "' is not a valid URL: " + ex.getReason());
                return null;
            }
            String host = uri.getHost();
            if (!"https".equals(uri.getScheme())) {
                error(e.line, "serverURL '" + url + "' must be an https URL: credentials go to it");
            } else if (uri.getRawUserInfo() != null) {
                error(e.line, "serverURL '" + url + "' must not carry a user name or password");
            } else if (host == null || authority(url).contains("%EMAILADDRESS%") || authority(url).contains("%EMAILLOCALPART%")) {
                error(e.line, "serverURL '" + url + "' may only use the %EMAILDOMAIN% placeholder in its host");
            } else if (!host.equals(host.toLowerCase(Locale.ROOT)) || !HostNames.isValid(host)) {
                error(e.line, "serverURL '" + url + "' has no valid lower-case host name");
            } else {
                return url;
            }
            return null;
        }

        /** What comes between "https://" and the path. */
        static String authority(String url) {
            return url.substring(url.indexOf("://") + 3).split("[/?#]", 2)[0];
        }

        void checkHttps(String url, int line, String what) {
            if (url == null) {
                return; // a required attribute: the schema reports it
            }
            String u = url.strip();
            try {
                URI uri = new URI(u);
                if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                    error(line, what + " '" + u + "' must be an https URL");
                }
            } catch (URISyntaxException e) {
                error(line, what + " '" + u + "' is not a valid URL: " + e.getReason());
            }
        }

        /** The loader is the final judge; an entry it would change or reject is an error too. */
        void crossCheckWithParser(Element root) {
            int line = root.children("emailProvider").stream().findFirst().map(e -> e.line).orElse(root.line);
            try {
                ClientConfigParser.Result r = ClientConfigParser.parse(file.content());
                for (String w : r.warnings()) {
                    error(line, "the loader would change this entry: " + w);
                }
            } catch (InvalidConfigException e) {
                error(line, "the loader rejects this entry: " + e.getMessage());
            }
        }
    }

    private static boolean isPublicSuffix(String host) {
        try {
            return InternetDomainName.from(host).isPublicSuffix();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String clean(SAXParseException e) {
        String m = e.getMessage() == null ? "invalid" : e.getMessage();
        if (m.contains("disallow-doctype-decl")) {
            return "DOCTYPE is not allowed (entries may not use DTDs or entities)";
        }
        return XERCES_CODE.matcher(m).replaceFirst("").replace("\"" + NS + "\":", "ms:");
    }

    // ---- cross-file ----

    private record Claim(String file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    private static void checkClaims(List<Claims> all, List<Diagnostic> out) {
        Map<String, List<Claim>> domains = new HashMap<>();
        Map<String, List<Claim>> patterns = new HashMap<>();
        for (Claims c : all) {
            c.domains().forEach((d, line) -> domains.computeIfAbsent(d, k -> new ArrayList<>()).add(new Claim(c.file().label(), line)));
            c.mxPatterns().forEach((p, line) -> patterns.computeIfAbsent(p, k -> new ArrayList<>()).add(new Claim(c.file().label(), line)));
        }
        reportShared(domains, "domain", out);
        reportShared(patterns, "MX pattern", out);
        // A pattern inside another entry's *.suffix is legal (the more specific one wins) but easy to get wrong.
        for (Map.Entry<String, List<Claim>> e : patterns.entrySet()) {
            String pattern = e.getKey();
            String host = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
            for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
                String wider = "*." + host.substring(dot + 1);
                List<Claim> others = patterns.get(wider);
                if (others == null) {
                    continue;
                }
                for (Claim mine : e.getValue()) {
                    for (Claim other : others) {
                        if (!other.file().equals(mine.file())) {
                            out.add(new Diagnostic(mine.file(), mine.line(), Diagnostic.Severity.WARNING,
                                    "MX pattern '" + pattern + "' is also matched by '" + wider + "' (" + other
                                            + "); the more specific pattern wins"));
                        }
                    }
                }
            }
        }
    }

    private static void reportShared(Map<String, List<Claim>> claims, String what, List<Diagnostic> out) {
        for (Map.Entry<String, List<Claim>> e : claims.entrySet()) {
            List<Claim> list = e.getValue();
            if (list.size() < 2) {
                continue;
            }
            for (Claim mine : list) {
                String others = list.stream().filter(c -> c != mine).map(Claim::toString)
                        .collect(Collectors.joining(", "));
                out.add(new Diagnostic(mine.file(), mine.line(), Diagnostic.Severity.ERROR,
                        what + " '" + e.getKey() + "' is also claimed by " + others));
            }
        }
    }

    // ---- a minimal element tree with line numbers ----

    private static final class Element {
        final String ns;
        final String local;
        final Map<String, String> attrs;
        final int line;
        final StringBuilder text = new StringBuilder();
        final List<Element> children = new ArrayList<>();

        Element(String ns, String local, Map<String, String> attrs, int line) {
            this.ns = ns;
            this.local = local;
            this.attrs = attrs;
            this.line = line;
        }

        boolean isLocal(String name) {
            return ns.isEmpty() && local.equals(name);
        }

        String attr(String name) {
            return attrs.get(name);
        }

        String nsAttr(String namespace, String name) {
            return attrs.get("{" + namespace + "}" + name);
        }

        String text() {
            return text.toString().strip();
        }

        List<Element> children(String name) {
            return childrenNs("", name);
        }

        List<Element> childrenNs(String namespace, String name) {
            List<Element> list = new ArrayList<>();
            for (Element c : children) {
                if (c.ns.equals(namespace) && c.local.equals(name)) {
                    list.add(c);
                }
            }
            return list;
        }
    }

    private static final class TreeBuilder extends DefaultHandler {
        Element root;
        private final List<Element> stack = new ArrayList<>();
        private Locator locator;

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) {
            Map<String, String> attrs = new HashMap<>();
            for (int i = 0; i < atts.getLength(); i++) {
                // Namespaced attributes are kept as "{uri}name".
                String uri2 = atts.getURI(i);
                attrs.put(uri2.isEmpty() ? atts.getLocalName(i) : "{" + uri2 + "}" + atts.getLocalName(i), atts.getValue(i));
            }
            Element e = new Element(uri == null ? "" : uri, localName, attrs, locator == null ? 0 : locator.getLineNumber());
            if (stack.isEmpty()) {
                root = e;
            } else {
                stack.get(stack.size() - 1).children.add(e);
            }
            stack.add(e);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            stack.remove(stack.size() - 1);
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (!stack.isEmpty()) {
                stack.get(stack.size() - 1).text.append(ch, start, length);
            }
        }
    }

    /** Serves one class-path resource to the schema factory. */
    private static final class ClasspathInput implements LSInput {
        private final String resource;

        ClasspathInput(String resource) {
            this.resource = resource;
        }

        @Override
        public InputStream getByteStream() {
            return ProviderValidator.class.getResourceAsStream(resource);
        }

        @Override
        public String getSystemId() {
            return Objects.toString(ProviderValidator.class.getResource(resource), null);
        }

        @Override
        public Reader getCharacterStream() {
            return null;
        }

        @Override
        public void setCharacterStream(Reader characterStream) {
        }

        @Override
        public void setByteStream(InputStream byteStream) {
        }

        @Override
        public String getStringData() {
            return null;
        }

        @Override
        public void setStringData(String stringData) {
        }

        @Override
        public void setSystemId(String systemId) {
        }

        @Override
        public String getPublicId() {
            return null;
        }

        @Override
        public void setPublicId(String publicId) {
        }

        @Override
        public String getBaseURI() {
            return null;
        }

        @Override
        public void setBaseURI(String baseURI) {
        }

        @Override
        public String getEncoding() {
            return null;
        }

        @Override
        public void setEncoding(String encoding) {
        }

        @Override
        public boolean getCertifiedText() {
            return false;
        }

        @Override
        public void setCertifiedText(boolean certifiedText) {
        }
    }
}
