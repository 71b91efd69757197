package org.mailsetup.format;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.codehaus.stax2.XMLStreamWriter2;

/** Cosmetics of the XML declaration that StAX leaves to the implementation. */
final class XmlDeclaration {

    // Woodstox's name for the property; other StAX writers ignore the attempt.
    private static final String DOUBLE_QUOTES = "com.ctc.wstx.useDoubleQuotesInXmlDecl";

    private XmlDeclaration() {
    }

    /** Asks for {@code <?xml version="1.0"?>} rather than single quotes, as most tools print it. */
    static void preferDoubleQuotes(XMLOutputFactory factory) {
        if (factory.isPropertySupported(DOUBLE_QUOTES)) {
            factory.setProperty(DOUBLE_QUOTES, true);
        }
    }

    /** A line break after the declaration, so the root element starts on its own line. */
    static void newline(XMLStreamWriter writer) throws XMLStreamException {
        if (writer instanceof XMLStreamWriter2 w2) {
            w2.writeSpace("\n");
        }
    }
}
