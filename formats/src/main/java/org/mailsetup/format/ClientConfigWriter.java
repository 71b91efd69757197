package org.mailsetup.format;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.mailsetup.Protocol;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.ServerConfig;

/**
 * Writes a {@link ClientConfig} as a config-v1.1 document (the format Thunderbird fetches from
 * {@code autoconfig.<domain>}). Serialised by Jackson XML, so every value is escaped by the XML
 * writer; nothing is assembled from strings. {@link ClientConfigParser} reads the output back to an
 * equal {@code ClientConfig}.
 */
public final class ClientConfigWriter {

    private static final XmlMapper MAPPER = XmlMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final XMLOutputFactory STAX = newOutputFactory();

    private ClientConfigWriter() {
    }

    private static XMLOutputFactory newOutputFactory() {
        XMLOutputFactory f = XMLOutputFactory.newFactory();
        // Repairing mode declares the extension namespace wherever one of its elements appears.
        f.setProperty(XMLOutputFactory.IS_REPAIRING_NAMESPACES, true);
        XmlDeclaration.preferDoubleQuotes(f);
        return f;
    }

    /** The document as UTF-8 bytes, with an XML declaration. */
    public static byte[] write(ClientConfig config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try {
            XMLStreamWriter sw = STAX.createXMLStreamWriter(out, "UTF-8");
            // Lets the writer use the same "ms" prefix as the provider database files.
            sw.setPrefix("ms", ClientConfigParser.EXTENSION_NAMESPACE);
            sw.writeStartDocument("UTF-8", "1.0");
            XmlDeclaration.newline(sw);
            // Closing the generator ends the document and closes the stream writer.
            try (ToXmlGenerator gen = MAPPER.getFactory().createGenerator(sw)) {
                MAPPER.writeValue(gen, toXml(config));
            }
        } catch (XMLStreamException e) {
            throw new IllegalStateException("XML writer failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static ConfigXml toXml(ClientConfig c) {
        ConfigXml x = new ConfigXml();
        ProviderXml p = new ProviderXml();
        p.id = c.id();
        p.domain = c.domains();
        p.displayName = c.displayName();
        p.displayShortName = c.displayShortName();
        p.incomingServer = c.incoming().stream().map(ClientConfigWriter::server).toList();
        p.outgoingServer = c.outgoing().stream().map(ClientConfigWriter::server).toList();
        p.documentation = c.documentation().stream().map(d -> {
            DocXml doc = new DocXml();
            doc.url = d.url();
            if (d.description() != null) {
                TextXml t = new TextXml();
                t.lang = "en";
                t.text = d.description();
                doc.descr = List.of(t);
            }
            return doc;
        }).toList();
        p.mxHost = c.mxHosts();
        p.note = c.notes().stream().map(n -> {
            NoteXml note = new NoteXml();
            note.type = n.type();
            note.url = n.url();
            note.text = n.text();
            return note;
        }).toList();
        p.lastVerified = c.lastVerified() == null ? null : c.lastVerified().toString();
        x.emailProvider = p;
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
        x.type = s.protocol() == Protocol.POP3 ? "pop3" : s.protocol() == Protocol.IMAP ? "imap" : "smtp";
        x.hostname = s.hostname();
        x.port = s.port();
        x.socketType = s.security().socketType();
        x.username = s.username();
        x.authentication = s.authentication();
        return x;
    }

    // --- the XML shape; field order is element order ---

    @JacksonXmlRootElement(localName = "clientConfig")
    @JsonPropertyOrder({"version", "emailProvider", "oAuth2"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    static final class ConfigXml {
        @JacksonXmlProperty(isAttribute = true)
        public final String version = "1.1";
        public ProviderXml emailProvider;
        @JacksonXmlProperty(localName = "oAuth2")
        public OAuth2Xml oAuth2;
    }

    @JsonPropertyOrder({"id", "domain", "displayName", "displayShortName", "incomingServer", "outgoingServer",
            "documentation", "mxHost", "note", "lastVerified"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    static final class ProviderXml {
        @JacksonXmlProperty(isAttribute = true)
        public String id;
        @JacksonXmlElementWrapper(useWrapping = false)
        public List<String> domain;
        public String displayName;
        public String displayShortName;
        @JacksonXmlElementWrapper(useWrapping = false)
        public List<ServerXml> incomingServer;
        @JacksonXmlElementWrapper(useWrapping = false)
        public List<ServerXml> outgoingServer;
        @JacksonXmlElementWrapper(useWrapping = false)
        public List<DocXml> documentation;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(namespace = ClientConfigParser.EXTENSION_NAMESPACE, localName = "mxHost")
        public List<String> mxHost;
        @JacksonXmlElementWrapper(useWrapping = false)
        @JacksonXmlProperty(namespace = ClientConfigParser.EXTENSION_NAMESPACE, localName = "note")
        public List<NoteXml> note;
        @JacksonXmlProperty(namespace = ClientConfigParser.EXTENSION_NAMESPACE, localName = "lastVerified")
        public String lastVerified;
    }

    @JsonPropertyOrder({"type", "hostname", "port", "socketType", "username", "authentication"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    static final class ServerXml {
        @JacksonXmlProperty(isAttribute = true)
        public String type;
        public String hostname;
        public int port;
        public String socketType;
        public String username;
        @JacksonXmlElementWrapper(useWrapping = false)
        public List<String> authentication;
    }

    @JsonPropertyOrder({"url", "descr"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    static final class DocXml {
        @JacksonXmlProperty(isAttribute = true)
        public String url;
        @JacksonXmlElementWrapper(useWrapping = false)
        public List<TextXml> descr;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    static final class TextXml {
        @JacksonXmlProperty(isAttribute = true)
        public String lang;
        @JacksonXmlText
        public String text;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    static final class NoteXml {
        @JacksonXmlProperty(isAttribute = true)
        public String type;
        @JacksonXmlProperty(isAttribute = true)
        public String url;
        @JacksonXmlText
        public String text;
    }

    @JsonPropertyOrder({"issuer", "scope", "authURL", "tokenURL"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    static final class OAuth2Xml {
        public String issuer;
        public String scope;
        @JacksonXmlProperty(localName = "authURL")
        public String authURL;
        @JacksonXmlProperty(localName = "tokenURL")
        public String tokenURL;
    }
}
