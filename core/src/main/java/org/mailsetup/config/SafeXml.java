package org.mailsetup.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import java.io.IOException;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import org.xml.sax.SAXException;

/**
 * The one way mailsetup reads XML from the network: Jackson XML over a StAX factory with DTDs and
 * external entities switched off, so XXE and entity expansion ("billion laughs") cannot happen, and a
 * size cap checked before parsing. Where a document must be read as events (a request read element by
 * element, schema validation with line numbers), {@link #staxInputFactory()} and {@link #saxParserFactory()}
 * apply the same rules.
 */
public final class SafeXml {

    /** Larger than any real config document; a bigger body is refused before it is parsed. */
    public static final int MAX_BYTES = 512 * 1024;

    private static final XmlMapper MAPPER = newMapper();

    private SafeXml() {
    }

    public static XmlMapper mapper() {
        return MAPPER;
    }

    private static XmlMapper newMapper() {
        XmlMapper mapper = new XmlMapper(new XmlFactory(staxInputFactory(), XMLOutputFactory.newFactory()));
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.configure(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, true);
        return mapper;
    }

    /**
     * A new namespace-aware StAX input factory that supports no DTD and expands no entity, internal or
     * external, for documents read event by event. Callers check {@link #MAX_BYTES} themselves.
     */
    public static XMLInputFactory staxInputFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return f;
    }

    /**
     * A new namespace-aware SAX parser factory that refuses any DOCTYPE and loads no external entity or DTD
     * (a factory is not thread-safe; take one per task). Callers check {@link #MAX_BYTES} themselves.
     */
    public static SAXParserFactory saxParserFactory() {
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setXIncludeAware(false);
            return f;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the XML parser does not support secure processing", e);
        }
    }

    /** Reads a document into the given type, refusing bodies over {@link #MAX_BYTES} and any DOCTYPE. */
    public static <T> T read(byte[] body, Class<T> type) throws IOException {
        if (body.length > MAX_BYTES) {
            throw new IOException("document is larger than " + MAX_BYTES + " bytes");
        }
        if (hasDoctype(body)) {
            throw new IOException("document has a DOCTYPE; DTDs are not accepted");
        }
        return MAPPER.readValue(body, type);
    }

    // A DOCTYPE can only come in the prolog, before the root element, but comments and processing
    // instructions may push it arbitrarily far; so walk the prolog rather than look at a fixed prefix.
    private static boolean hasDoctype(byte[] body) {
        String s = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\u00ef' || c == '\u00bb' || c == '\u00bf') {
                i++; // white space, or the bytes of a UTF-8 byte order mark
            } else if (s.startsWith("<?", i)) {
                int end = s.indexOf("?>", i + 2);
                if (end < 0) {
                    return false;
                }
                i = end + 2;
            } else if (s.startsWith("<!--", i)) {
                int end = s.indexOf("-->", i + 4);
                if (end < 0) {
                    return false;
                }
                i = end + 3;
            } else {
                return s.regionMatches(true, i, "<!DOCTYPE", 0, 9);
            }
        }
        return false;
    }
}
