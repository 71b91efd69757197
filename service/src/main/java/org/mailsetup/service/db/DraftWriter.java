package org.mailsetup.service.db;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.List;
import javax.xml.stream.XMLEventFactory;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLEventWriter;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.events.StartElement;
import javax.xml.stream.events.XMLEvent;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.format.ClientConfigWriter;

/**
 * A draft provider entry: the config-v1.1 document {@link ClientConfigWriter} makes, with XML comments
 * (a header before the root element, one comment before each server) and the contributor's sources
 * ({@code ms:source} elements at the end of {@code emailProvider}) added by a StAX pass, so that no markup
 * is ever assembled from strings.
 */
final class DraftWriter {

    private static final XMLEventFactory EVENTS = XMLEventFactory.newFactory();
    private static final String DOUBLE_QUOTES = "com.ctc.wstx.useDoubleQuotesInXmlDecl";

    private DraftWriter() {
    }

    /**
     * @param header         comment lines before the root element
     * @param serverComments one comment per server, incoming servers first, in document order
     * @param sources        https pages of the provider the contributor checks the draft against
     */
    static byte[] write(ClientConfig config, List<String> header, List<String> serverComments, List<String> sources) {
        byte[] plain = ClientConfigWriter.write(config);
        try {
            XMLInputFactory inf = XMLInputFactory.newFactory();
            inf.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            inf.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            XMLEventReader in = inf.createXMLEventReader(new ByteArrayInputStream(plain), "UTF-8");
            ByteArrayOutputStream buf = new ByteArrayOutputStream(plain.length + 1024);
            XMLOutputFactory outf = XMLOutputFactory.newFactory();
            if (outf.isPropertySupported(DOUBLE_QUOTES)) {
                outf.setProperty(DOUBLE_QUOTES, true); // <?xml version="1.0"?>, as the entries are written
            }
            XMLEventWriter out = outf.createXMLEventWriter(buf, "UTF-8");
            Iterator<String> comments = serverComments.iterator();
            boolean rootSeen = false;
            String indent = "";
            while (in.hasNext()) {
                XMLEvent e = in.nextEvent();
                if (e.isStartDocument()) {
                    out.add(EVENTS.createStartDocument("UTF-8", "1.0"));
                    out.add(EVENTS.createSpace("\n"));
                    continue;
                }
                if (e.isStartElement() && !rootSeen) {
                    rootSeen = true;
                    for (String line : header) {
                        out.add(EVENTS.createComment(" " + safe(line) + " "));
                        out.add(EVENTS.createSpace("\n"));
                    }
                }
                if (e.isCharacters() && e.asCharacters().isWhiteSpace()) {
                    String ws = e.asCharacters().getData();
                    indent = ws.substring(ws.lastIndexOf('\n') + 1);
                    if (!rootSeen) {
                        continue; // the prolog's line break is already written
                    }
                } else if (e.isStartElement() && isServer(e.asStartElement()) && comments.hasNext()) {
                    out.add(EVENTS.createComment(" " + safe(comments.next()) + " "));
                    out.add(EVENTS.createSpace("\n" + indent));
                }
                if (e.isEndElement() && isProvider(e.asEndElement().getName()) && !sources.isEmpty()) {
                    for (String url : sources) {
                        out.add(EVENTS.createSpace("  "));
                        out.add(EVENTS.createStartElement("ms", ClientConfigParser.EXTENSION_NAMESPACE, "source"));
                        out.add(EVENTS.createNamespace("ms", ClientConfigParser.EXTENSION_NAMESPACE));
                        out.add(EVENTS.createAttribute("type", "provider"));
                        out.add(EVENTS.createAttribute("url", url));
                        out.add(EVENTS.createCharacters("Mail settings"));
                        out.add(EVENTS.createEndElement("ms", ClientConfigParser.EXTENSION_NAMESPACE, "source"));
                        out.add(EVENTS.createSpace("\n" + indent));
                    }
                }
                if (e.isEndDocument()) {
                    out.add(EVENTS.createSpace("\n"));
                }
                out.add(e);
            }
            out.close();
            return buf.toByteArray();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot annotate the draft entry", e);
        }
    }

    private static boolean isProvider(javax.xml.namespace.QName name) {
        return name.getNamespaceURI().isEmpty() && name.getLocalPart().equals("emailProvider");
    }

    private static boolean isServer(StartElement s) {
        String name = s.getName().getLocalPart();
        return s.getName().getNamespaceURI().isEmpty()
                && (name.equals("incomingServer") || name.equals("outgoingServer"));
    }

    /**
     * Comment text from the network (greetings, errors) made legal: no "--", no trailing "-", no
     * control characters.
     */
    static String safe(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        String s = b.toString();
        while (s.contains("--")) {
            s = s.replace("--", "- -");
        }
        return s.endsWith("-") ? s + " " : s;
    }
}
