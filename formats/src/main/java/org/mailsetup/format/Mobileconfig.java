package org.mailsetup.format;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.ServerSettings;
import org.mailsetup.Service;
import org.mailsetup.ServiceSettings;

/**
 * An unsigned Apple configuration profile with a {@code com.apple.mail.managed} payload, and a
 * {@code com.apple.carddav.account} and a {@code com.apple.caldav.account} payload when the lookup found a
 * verified or trusted contacts or calendars endpoint ({@link BestSettings#endpoint}), written as an XML
 * property list with StAX. UUIDs are derived from the address, so downloading the profile again yields the
 * same identifiers and installing it replaces the earlier copy instead of adding a second.
 *
 * <p>The DAV payload keys are those of Apple's Device Management reference ("CalDAV", "CardDAV"): host
 * name, port, principal URL, SSL, username and description; the password is asked for on installation.
 */
public final class Mobileconfig {

    public static final String CONTENT_TYPE = "application/x-apple-aspen-config";

    private static final String PLIST_PUBLIC_ID = "-//Apple//DTD PLIST 1.0//EN";
    private static final String PLIST_SYSTEM_ID = "http://www.apple.com/DTDs/PropertyList-1.0.dtd";
    private static final XMLOutputFactory OUT = newOutputFactory();

    private Mobileconfig() {
    }

    private static XMLOutputFactory newOutputFactory() {
        XMLOutputFactory f = XMLOutputFactory.newFactory();
        XmlDeclaration.preferDoubleQuotes(f);
        return f;
    }

    /** Whether {@link #profile} can be built: it needs an incoming and an outgoing server. */
    public static boolean canDescribe(BestSettings best) {
        return best.isComplete();
    }

    /** The profile for the best incoming and outgoing server; requires {@link #canDescribe}. */
    public static byte[] profile(DiscoveryResult result, BestSettings best) {
        if (!canDescribe(best)) {
            throw new IllegalArgumentException("a mail profile needs an incoming and an outgoing server");
        }
        ServerSettings in = best.incoming().get(0);
        ServerSettings out = best.outgoing().get(0);
        String address = result.email();
        String domain = result.domain();
        String label = Optional.ofNullable(result.provider()).map(p -> p.name()).orElse(domain);
        String base = "org.mailsetup.mobileconfig." + domain + "." + uuid("id", address);

        // Keys in the order Apple's own tools print them (alphabetical), so diffs stay readable.
        Map<String, Object> mail = new LinkedHashMap<>();
        mail.put("EmailAccountDescription", label);
        mail.put("EmailAccountType", in.protocol() == Protocol.POP3 ? "EmailTypePOP" : "EmailTypeIMAP");
        mail.put("EmailAddress", address);
        mail.put("IncomingMailServerAuthentication", authentication(in));
        mail.put("IncomingMailServerHostName", in.host());
        mail.put("IncomingMailServerPortNumber", in.port());
        mail.put("IncomingMailServerUseSSL", in.security() != Security.PLAIN);
        mail.put("IncomingMailServerUsername", in.username());
        mail.put("OutgoingMailServerAuthentication", authentication(out));
        mail.put("OutgoingMailServerHostName", out.host());
        mail.put("OutgoingMailServerPortNumber", out.port());
        mail.put("OutgoingMailServerUseSSL", out.security() != Security.PLAIN);
        mail.put("OutgoingMailServerUsername", out.username());
        mail.put("OutgoingPasswordSameAsIncomingPassword", true);
        mail.put("PayloadDescription", "Mail account settings for " + address);
        mail.put("PayloadDisplayName", label + " mail");
        mail.put("PayloadIdentifier", base + ".mail");
        mail.put("PayloadType", "com.apple.mail.managed");
        mail.put("PayloadUUID", uuid("mail", address));
        mail.put("PayloadVersion", 1);

        List<Object> payloads = new ArrayList<>(List.of(mail));
        List<String> apps = new ArrayList<>(List.of("Mail"));
        BestSettings.endpoint(result, Service.CONTACTS).ifPresent(c -> {
            payloads.add(dav("CardDAV", "com.apple.carddav.account", "contacts", c, label, address, base));
            apps.add("Contacts");
        });
        BestSettings.endpoint(result, Service.CALENDARS).ifPresent(c -> {
            payloads.add(dav("CalDAV", "com.apple.caldav.account", "calendars", c, label, address, base));
            apps.add("Calendar");
        });

        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("PayloadContent", payloads);
        profile.put("PayloadDescription", "Sets up " + String.join(", ", apps) + " for " + address
                + ". The password is asked for on installation.");
        profile.put("PayloadDisplayName", "Mail: " + address);
        profile.put("PayloadIdentifier", base);
        profile.put("PayloadRemovalDisallowed", false);
        profile.put("PayloadType", "Configuration");
        profile.put("PayloadUUID", uuid("profile", address));
        profile.put("PayloadVersion", 1);
        return plist(profile);
    }

    /** A CardDAV or CalDAV account payload; {@code prefix} is the payload's key prefix. */
    private static Map<String, Object> dav(String prefix, String type, String purpose, ServiceSettings s,
                                           String label, String address, String base) {
        URI url = URI.create(s.url());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(prefix + "AccountDescription", label + " " + purpose);
        p.put(prefix + "HostName", url.getHost());
        p.put(prefix + "Port", url.getPort() > 0 ? url.getPort() : 443);
        p.put(prefix + "PrincipalURL", s.url());
        p.put(prefix + "UseSSL", true);
        p.put(prefix + "Username", s.username());
        p.put("PayloadDescription", prefix + " account settings for " + address);
        p.put("PayloadDisplayName", label + " " + purpose);
        p.put("PayloadIdentifier", base + "." + purpose);
        p.put("PayloadType", type);
        p.put("PayloadUUID", uuid(purpose, address));
        p.put("PayloadVersion", 1);
        return p;
    }

    // Apple's vocabulary has no OAuth; password (with TLS) is what the server will accept from Mail.
    private static String authentication(ServerSettings s) {
        for (String a : s.auth()) {
            switch (a) {
                case "password-cleartext" -> {
                    return "EmailAuthPassword";
                }
                case "password-encrypted" -> {
                    return "EmailAuthCRAMMD5";
                }
                case "NTLM" -> {
                    return "EmailAuthNTLM";
                }
                default -> { }
            }
        }
        return "EmailAuthPassword";
    }

    private static String uuid(String purpose, String address) {
        return UUID.nameUUIDFromBytes(("mailsetup:" + purpose + ":" + address).getBytes(StandardCharsets.UTF_8))
                .toString().toUpperCase(java.util.Locale.ROOT);
    }

    /** Writes a property list of strings, integers, booleans, lists and (ordered) maps. */
    static byte[] plist(Map<String, Object> root) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try {
            XMLStreamWriter w = OUT.createXMLStreamWriter(bytes, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            XmlDeclaration.newline(w);
            w.writeDTD("<!DOCTYPE plist PUBLIC \"" + PLIST_PUBLIC_ID + "\" \"" + PLIST_SYSTEM_ID + "\">");
            XmlDeclaration.newline(w);
            w.writeStartElement("plist");
            w.writeAttribute("version", "1.0");
            value(w, root);
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("XML writer failed", e);
        }
        return bytes.toByteArray();
    }

    private static void value(XMLStreamWriter w, Object v) throws XMLStreamException {
        switch (v) {
            case String s -> text(w, "string", s);
            case Integer i -> text(w, "integer", i.toString());
            case Boolean b -> w.writeEmptyElement(b ? "true" : "false");
            case List<?> list -> {
                w.writeStartElement("array");
                for (Object o : list) {
                    value(w, o);
                }
                w.writeEndElement();
            }
            case Map<?, ?> map -> {
                w.writeStartElement("dict");
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    text(w, "key", (String) e.getKey());
                    value(w, e.getValue());
                }
                w.writeEndElement();
            }
            default -> throw new IllegalArgumentException("no plist type for " + v.getClass());
        }
    }

    private static void text(XMLStreamWriter w, String element, String text) throws XMLStreamException {
        w.writeStartElement(element);
        w.writeCharacters(XmlText.clean(text));
        w.writeEndElement();
    }
}
