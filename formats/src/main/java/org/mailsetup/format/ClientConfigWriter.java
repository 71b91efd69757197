package org.mailsetup.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.ClientConfigXml;

/**
 * Writes a {@link ClientConfig} as a config-v1.1 document (the format Thunderbird fetches from
 * {@code autoconfig.<domain>}): the declaration as this module writes it for every format, then the
 * document as core's {@link ClientConfigXml} shapes it. {@link ClientConfigParser} reads the output
 * back to an equal {@code ClientConfig}.
 */
public final class ClientConfigWriter {

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
            sw.writeStartDocument("UTF-8", "1.0");
            XmlDeclaration.newline(sw);
            ClientConfigXml.write(config, sw);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("XML writer failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
