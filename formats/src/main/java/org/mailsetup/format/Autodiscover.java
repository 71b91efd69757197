package org.mailsetup.format;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.ServerSettings;
import org.mailsetup.config.SafeXml;

/**
 * Outlook's "POX" Autodiscover (2006 schemas): reads a request safely and writes the response with
 * StAX. Only the unauthenticated, read-only part: the request carries an address, never credentials.
 */
public final class Autodiscover {

    public static final String REQUEST_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    public static final String RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    public static final String OUTLOOK_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    /** Requests larger than this are refused unread; a real one is a few hundred bytes. */
    public static final int MAX_REQUEST_BYTES = 8 * 1024;

    /** Error codes of the 2006 response schema; 501: the address has no configuration a client may use. */
    public static final int ERROR_NO_CONFIGURATION = 501;
    public static final int ERROR_INVALID_REQUEST = 600;
    public static final int ERROR_SCHEMA_NOT_AVAILABLE = 601;

    // No DTD, no entity expansion: nothing in a body can reach out or blow up.
    private static final XMLInputFactory IN = SafeXml.staxInputFactory();
    private static final XMLOutputFactory OUT = newOutputFactory();

    /** What a client asked for. */
    public record Request(String emailAddress, String acceptableResponseSchema) {
    }

    /** The request body is not an Outlook 2006 Autodiscover request. */
    public static final class InvalidRequestException extends Exception {
        public InvalidRequestException(String message) {
            super(message);
        }
    }

    private Autodiscover() {
    }

    private static XMLOutputFactory newOutputFactory() {
        XMLOutputFactory f = XMLOutputFactory.newFactory();
        XmlDeclaration.preferDoubleQuotes(f);
        return f;
    }

    /** Parses a request; the caller has already capped the body at {@link #MAX_REQUEST_BYTES}. */
    public static Request parseRequest(byte[] body) throws InvalidRequestException {
        if (body.length == 0) {
            throw new InvalidRequestException("the request body is empty");
        }
        if (body.length > MAX_REQUEST_BYTES) {
            throw new InvalidRequestException("the request body is larger than " + MAX_REQUEST_BYTES + " bytes");
        }
        String email = null;
        String schema = null;
        List<String> path = new ArrayList<>();
        XMLStreamReader r = null;
        try {
            r = IN.createXMLStreamReader(new ByteArrayInputStream(body));
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.DTD -> throw new InvalidRequestException("DTDs are not accepted");
                    case XMLStreamConstants.ENTITY_REFERENCE ->
                            throw new InvalidRequestException("entity references are not accepted");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (path.isEmpty() && !"Autodiscover".equals(r.getLocalName())) {
                            throw new InvalidRequestException("the root element is <" + r.getLocalName()
                                    + ">, not <Autodiscover>");
                        }
                        if (path.isEmpty() && !REQUEST_NS.equals(r.getNamespaceURI())) {
                            throw new InvalidRequestException("the request is not in the Outlook 2006 request namespace");
                        }
                        path.add(r.getLocalName());
                        if (path.size() > 8) {
                            throw new InvalidRequestException("the request is nested too deeply");
                        }
                        if (path.size() == 3 && "Request".equals(path.get(1))) {
                            if ("EMailAddress".equals(r.getLocalName())) {
                                email = r.getElementText().strip();
                                path.remove(path.size() - 1);
                            } else if ("AcceptableResponseSchema".equals(r.getLocalName())) {
                                schema = r.getElementText().strip();
                                path.remove(path.size() - 1);
                            }
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> path.remove(path.size() - 1);
                    default -> { }
                }
            }
        } catch (XMLStreamException e) {
            throw new InvalidRequestException("the request is not well-formed XML");
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing left to release
                }
            }
        }
        if (email == null || email.isEmpty()) {
            throw new InvalidRequestException("the request has no <EMailAddress>");
        }
        return new Request(email, schema);
    }

    /**
     * An Outlook "settings" response with the best IMAP, POP3 and SMTP server of the chosen ones; requires
     * {@link BestSettings#isComplete()} (otherwise answer {@link #ERROR_NO_CONFIGURATION} with
     * {@link BestSettings#missing()}).
     */
    public static byte[] settingsResponse(BestSettings best) {
        if (!best.isComplete()) {
            throw new IllegalArgumentException("an Autodiscover answer needs an incoming and an outgoing server");
        }
        return write(w -> {
            w.writeStartElement("Response");
            w.writeDefaultNamespace(OUTLOOK_NS);
            w.writeStartElement("Account");
            element(w, "AccountType", "email");
            element(w, "Action", "settings");
            for (Protocol p : incomingOrder(best)) {
                Optional<ServerSettings> s = best.best(p);
                if (s.isPresent()) {
                    protocol(w, s.get());
                }
            }
            Optional<ServerSettings> smtp = best.best(Protocol.SMTP);
            if (smtp.isPresent()) {
                protocol(w, smtp.get());
            }
            w.writeEndElement();
            w.writeEndElement();
        });
    }

    /** An error response (e.g. {@link #ERROR_INVALID_REQUEST}) with a human-readable message. */
    public static byte[] errorResponse(int code, String message) {
        return write(w -> {
            w.writeStartElement("Response");
            w.writeStartElement("Error");
            element(w, "ErrorCode", Integer.toString(code));
            element(w, "Message", message);
            w.writeEmptyElement("DebugData");
            w.writeEndElement();
            w.writeEndElement();
        });
    }

    // Keep core's preference between IMAP and POP3: whichever ranked first goes first.
    private static List<Protocol> incomingOrder(BestSettings best) {
        List<Protocol> order = new ArrayList<>();
        for (ServerSettings s : best.incoming()) {
            if (!order.contains(s.protocol())) {
                order.add(s.protocol());
            }
        }
        return order;
    }

    private static void protocol(XMLStreamWriter w, ServerSettings s) throws XMLStreamException {
        w.writeStartElement("Protocol");
        element(w, "Type", switch (s.protocol()) {
            case IMAP -> "IMAP";
            case POP3 -> "POP3";
            case SMTP -> "SMTP";
        });
        element(w, "Server", s.host());
        element(w, "Port", Integer.toString(s.port()));
        element(w, "LoginName", s.username());
        element(w, "DomainRequired", "off");
        // SPA is Microsoft's name for NTLM; offer it only when the server asked for NTLM first.
        element(w, "SPA", !s.auth().isEmpty() && "NTLM".equals(s.auth().get(0)) ? "on" : "off");
        element(w, "SSL", s.security() == Security.PLAIN ? "off" : "on");
        element(w, "AuthRequired", "on");
        if (s.protocol() == Protocol.SMTP) {
            element(w, "UsePOPAuth", "off");
            element(w, "SMTPLast", "off");
        }
        // Outlook reads "SSL" as implicit TLS and "TLS" as STARTTLS.
        element(w, "Encryption", switch (s.security()) {
            case TLS -> "SSL";
            case STARTTLS -> "TLS";
            case PLAIN -> "None";
        });
        w.writeEndElement();
    }

    private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        // Messages echo the request; what XML cannot carry must not make the answer unreadable.
        w.writeCharacters(XmlText.clean(text));
        w.writeEndElement();
    }

    @FunctionalInterface
    private interface Body {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            XMLStreamWriter w = OUT.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            XmlDeclaration.newline(w);
            w.writeStartElement("Autodiscover");
            w.writeDefaultNamespace(RESPONSE_NS);
            body.write(w);
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("XML writer failed", e);
        }
        return out.toByteArray();
    }
}
