package org.mailsetup.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.mailsetup.Service;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The one config-v1.1 codec: the document's XML shape as Jackson binds it, used both ways. Reading goes
 * through {@link SafeXml} and hands the raw values to {@link ClientConfigParser}, which checks every field;
 * {@link #write} serialises a {@link ClientConfig} in the element order mail clients expect, with
 * mailsetup's extension elements in {@value ClientConfigParser#EXTENSION_NAMESPACE} (prefix {@code ms}).
 * Every value is escaped by the XML writer; nothing is assembled from strings.
 */
public final class ClientConfigXml {

    private static final XmlMapper WRITER = XmlMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final String NS = ClientConfigParser.EXTENSION_NAMESPACE;

    private ClientConfigXml() {
    }

    /** The document's raw shape; size, DTD and entity rules are {@link SafeXml}'s. */
    static ConfigXml read(byte[] body) throws IOException {
        return SafeXml.read(body, ConfigXml.class);
    }

    /**
     * Writes the {@code <clientConfig>} element, ends the document and closes the writer. The writer must
     * repair namespaces ({@code XMLOutputFactory.IS_REPAIRING_NAMESPACES}), so that the extension
     * namespace is declared where its elements appear; the XML declaration is the caller's.
     */
    public static void write(ClientConfig config, XMLStreamWriter out) throws IOException {
        try {
            out.setPrefix("ms", NS);
        } catch (XMLStreamException e) {
            throw new IOException("XML writer failed", e);
        }
        try (ToXmlGenerator gen = WRITER.getFactory().createGenerator(out)) {
            WRITER.writeValue(gen, of(config));
        }
    }

    private static ConfigXml of(ClientConfig c) {
        ConfigXml x = new ConfigXml();
        ProviderXml p = new ProviderXml();
        p.id = c.id();
        p.domain.addAll(c.domains());
        p.displayName = c.displayName();
        p.displayShortName = c.displayShortName();
        c.incoming().forEach(s -> p.incomingServer.add(server(s)));
        c.outgoing().forEach(s -> p.outgoingServer.add(server(s)));
        for (Documentation d : c.documentation()) {
            DocXml doc = new DocXml();
            doc.url = d.url();
            if (d.description() != null) {
                TextXml t = new TextXml();
                t.lang = "en";
                t.text = d.description();
                doc.descr.add(t);
            }
            p.documentation.add(doc);
        }
        p.mxHost.addAll(c.mxHosts());
        for (ProviderNote n : c.notes()) {
            NoteXml note = new NoteXml();
            note.type = n.type();
            note.url = n.url();
            note.text = n.text();
            p.note.add(note);
        }
        p.lastVerified = c.lastVerified() == null ? null : c.lastVerified().toString();
        if (c.noClientAccess() != null) {
            NoClientAccess n = c.noClientAccess();
            p.noClientAccess = new NoClientAccessXml();
            p.noClientAccess.url = n.url();
            p.noClientAccess.text = n.reason();
            n.bridge().forEach(b -> p.bridge.add(bridge(b)));
        }
        x.emailProvider = p;
        for (ServiceConfig sc : c.services()) {
            ServiceXml sx = new ServiceXml();
            sx.type = sc.service() == Service.JMAP ? null : sc.service().protocol(); // <ms:jmap> says it by name
            sx.username = sc.username();
            for (String a : sc.authentication()) {
                AuthXml ax = new AuthXml();
                ax.text = a;
                sx.authentication.add(ax);
            }
            sx.serverURL = sc.serverUrl();
            switch (sc.service()) {
                case CONTACTS -> x.addressBook.add(sx);
                case CALENDARS -> x.calendar.add(sx);
                default -> x.jmap.add(sx);
            }
        }
        c.oauth2Config().ifPresent(o -> {
            OAuth2Xml ox = new OAuth2Xml();
            ox.issuer = o.issuer();
            ox.scope = o.scopes().isEmpty() ? null : String.join(" ", o.scopes());
            ox.authURL = o.authUrl();
            ox.tokenURL = o.tokenUrl();
            x.oAuth2 = ox;
        });
        return x;
    }

    private static ServerXml server(ServerConfig s) {
        ServerXml x = new ServerXml();
        x.type = s.protocol().serverType();
        x.hostname = s.hostname();
        x.port = Integer.toString(s.port());
        x.socketType = s.security().socketType();
        x.username = s.username();
        x.authentication.addAll(s.authentication());
        return x;
    }

    private static BridgeXml bridge(NoClientAccess.Bridge b) {
        BridgeXml x = new BridgeXml();
        x.type = b.protocol().serverType();
        x.host = b.host();
        x.port = Integer.toString(b.port());
        x.socketType = b.security().socketType();
        return x;
    }

    // --- the XML shape: property order is element order; what is unset is not written ---
    // Unknown elements are ignored when reading. Repeated elements need not be adjacent (<incomingServer>
    // after <outgoingServer>, <domain> after <displayName>); Jackson hands over each adjacent run
    // separately, so the setters append. Namespaces are written but not checked when reading.

    private static <T> void addAll(List<T> list, List<T> more) {
        if (more != null) {
            for (T t : more) {
                if (t != null) {
                    list.add(t);
                }
            }
        }
    }

    @JacksonXmlRootElement(localName = "clientConfig")
    @JsonPropertyOrder({"version", "emailProvider", "oAuth2", "addressBook", "calendar", "jmap"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(value = "version", allowGetters = true, ignoreUnknown = true)
    static final class ConfigXml {
        public ProviderXml emailProvider;
        @JacksonXmlProperty(localName = "oAuth2")
        public OAuth2Xml oAuth2;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JsonProperty("addressBook")
        final List<ServiceXml> addressBook = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JsonProperty("calendar")
        final List<ServiceXml> calendar = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(namespace = NS, localName = "jmap")
        final List<ServiceXml> jmap = new ArrayList<>();

        @JsonProperty("addressBook")
        public void addAddressBook(List<ServiceXml> more) {
            addAll(addressBook, more);
        }

        @JsonProperty("calendar")
        public void addCalendar(List<ServiceXml> more) {
            addAll(calendar, more);
        }

        @JsonProperty("jmap")
        public void addJmap(List<ServiceXml> more) {
            addAll(jmap, more);
        }

        @JacksonXmlProperty(isAttribute = true, localName = "version")
        public String getVersion() {
            return "1.1";
        }
    }

    @JsonPropertyOrder({"id", "domain", "displayName", "displayShortName", "incomingServer", "outgoingServer",
            "noClientAccess", "bridge", "documentation", "mxHost", "note", "lastVerified"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ProviderXml {
        @JacksonXmlProperty(isAttribute = true)
        public String id;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JsonProperty("domain")
        final List<String> domain = new ArrayList<>();
        public String displayName;
        public String displayShortName;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JsonProperty("incomingServer")
        final List<ServerXml> incomingServer = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JsonProperty("outgoingServer")
        final List<ServerXml> outgoingServer = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JsonProperty("documentation")
        final List<DocXml> documentation = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(namespace = NS, localName = "mxHost")
        final List<String> mxHost = new ArrayList<>();
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(namespace = NS, localName = "note")
        final List<NoteXml> note = new ArrayList<>();
        @JacksonXmlProperty(namespace = NS, localName = "lastVerified")
        public String lastVerified;
        @JacksonXmlProperty(namespace = NS, localName = "noClientAccess")
        public NoClientAccessXml noClientAccess;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(namespace = NS, localName = "bridge")
        final List<BridgeXml> bridge = new ArrayList<>();

        @JsonProperty("domain")
        public void addDomain(List<String> more) {
            addAll(domain, more);
        }

        @JsonProperty("incomingServer")
        public void addIncomingServer(List<ServerXml> more) {
            addAll(incomingServer, more);
        }

        @JsonProperty("outgoingServer")
        public void addOutgoingServer(List<ServerXml> more) {
            addAll(outgoingServer, more);
        }

        @JsonProperty("documentation")
        public void addDocumentation(List<DocXml> more) {
            addAll(documentation, more);
        }

        @JsonProperty("mxHost")
        public void addMxHost(List<String> more) {
            addAll(mxHost, more);
        }

        @JsonProperty("note")
        public void addNote(List<NoteXml> more) {
            addAll(note, more);
        }

        @JsonProperty("bridge")
        public void addBridge(List<BridgeXml> more) {
            addAll(bridge, more);
        }
    }

    @JsonPropertyOrder({"type", "hostname", "port", "socketType", "username", "authentication"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ServerXml {
        @JacksonXmlProperty(isAttribute = true)
        public String type;
        public String hostname;
        public String port;
        public String socketType;
        public String username;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JsonProperty("authentication")
        final List<String> authentication = new ArrayList<>();

        @JsonProperty("authentication")
        public void addAuthentication(List<String> more) {
            addAll(authentication, more);
        }
    }

    /** {@code <addressBook>}, {@code <calendar>} and {@code <ms:jmap>}: Thunderbird's element order. */
    @JsonPropertyOrder({"type", "username", "authentication", "serverURL"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ServiceXml {
        @JacksonXmlProperty(isAttribute = true)
        public String type;
        public String username;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JsonProperty("authentication")
        final List<AuthXml> authentication = new ArrayList<>();
        @JacksonXmlProperty(localName = "serverURL")
        public String serverURL;

        @JsonProperty("authentication")
        public void addAuthentication(List<AuthXml> more) {
            addAll(authentication, more);
        }
    }

    /** {@code <authentication system="http">basic</authentication>}: the attribute is read and not kept. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class AuthXml {
        @JacksonXmlProperty(isAttribute = true)
        public String system;
        @JacksonXmlText
        public String text;
    }

    @JsonPropertyOrder({"url", "descr"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class DocXml {
        @JacksonXmlProperty(isAttribute = true)
        public String url;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JsonProperty("descr")
        final List<TextXml> descr = new ArrayList<>();

        @JsonProperty("descr")
        public void addDescr(List<TextXml> more) {
            addAll(descr, more);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class TextXml {
        @JacksonXmlProperty(isAttribute = true)
        public String lang;
        @JacksonXmlText
        public String text;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class NoteXml {
        @JacksonXmlProperty(isAttribute = true)
        public String type;
        @JacksonXmlProperty(isAttribute = true)
        public String url;
        @JacksonXmlText
        public String text;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class NoClientAccessXml {
        @JacksonXmlProperty(isAttribute = true)
        public String url;
        @JacksonXmlText
        public String text;
    }

    @JsonPropertyOrder({"type", "host", "port", "socketType"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class BridgeXml {
        @JacksonXmlProperty(isAttribute = true)
        public String type;
        @JacksonXmlProperty(isAttribute = true)
        public String host;
        @JacksonXmlProperty(isAttribute = true)
        public String port;
        @JacksonXmlProperty(isAttribute = true)
        public String socketType;
    }

    @JsonPropertyOrder({"issuer", "scope", "authURL", "tokenURL"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class OAuth2Xml {
        public String issuer;
        public String scope;
        @JacksonXmlProperty(localName = "authURL")
        public String authURL;
        @JacksonXmlProperty(localName = "tokenURL")
        public String tokenURL;
    }
}
