package org.mailsetup.format;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What Thunderbird accepts as a config-v1.1 document, written from its documented behaviour: the root
 * is {@code clientConfig}; it reads the {@code emailProvider}, which names at least one domain; a
 * server counts only with a known {@code type}, a {@code hostname}, a {@code port}, a known
 * {@code socketType} and at least one {@code authentication} it supports (a server without one is
 * skipped); and without at least one incoming and one outgoing server it rejects the whole document.
 * Beside the provider it reads {@code <addressBook type="carddav">} and {@code <calendar type="caldav">}:
 * one counts only with that type and an absolute http(s) {@code serverURL} (once placeholders are
 * replaced); another is skipped.
 */
public final class ThunderbirdRules {

    private static final Set<String> INCOMING_TYPES = Set.of("imap", "pop3");
    private static final Set<String> SOCKET_TYPES = Set.of("plain", "SSL", "STARTTLS");
    private static final Set<String> AUTHENTICATION = Set.of("password-cleartext", "plain", "password-encrypted",
            "secure", "GSSAPI", "NTLM", "OAuth2", "none", "client-IP-address", "TLS-client-cert", "smtp-after-pop");

    private ThunderbirdRules() {
    }

    /** Why Thunderbird would reject or skip part of the document; empty when it takes every server. */
    public static List<String> problems(byte[] xml) {
        List<String> problems = new ArrayList<>();
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            return List.of("not well-formed XML: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        if (!"clientConfig".equals(root.getTagName())) {
            return List.of("the root element is <" + root.getTagName() + ">, not <clientConfig>");
        }
        List<Element> providers = children(root, "emailProvider");
        if (providers.isEmpty()) {
            return List.of("no <emailProvider>");
        }
        Element provider = providers.get(0);
        if (children(provider, "domain").stream().noneMatch(d -> !d.getTextContent().isBlank())) {
            problems.add("the <emailProvider> names no <domain>");
        }
        int incoming = 0;
        for (Element s : children(provider, "incomingServer")) {
            incoming += server(s, INCOMING_TYPES, problems) ? 1 : 0;
        }
        int outgoing = 0;
        for (Element s : children(provider, "outgoingServer")) {
            outgoing += server(s, Set.of("smtp"), problems) ? 1 : 0;
        }
        for (String[] kind : new String[][] {{"addressBook", "carddav"}, {"calendar", "caldav"}}) {
            for (Element e : children(root, kind[0])) {
                davProblem(e, kind[1]).ifPresent(p -> problems.add("<" + kind[0] + "> skipped: " + p));
            }
        }
        if (incoming == 0) {
            problems.add("no incoming server Thunderbird can use: it rejects the whole document");
        }
        if (outgoing == 0) {
            problems.add("no outgoing server Thunderbird can use: it rejects the whole document");
        }
        return problems;
    }

    private static boolean server(Element s, Set<String> types, List<String> problems) {
        String where = "<" + s.getTagName() + " type=\"" + s.getAttribute("type") + "\"> "
                + text(s, "hostname") + ":" + text(s, "port");
        List<String> wrong = new ArrayList<>();
        if (!types.contains(s.getAttribute("type"))) {
            wrong.add("unknown type");
        }
        if (text(s, "hostname").isBlank()) {
            wrong.add("no hostname");
        }
        try {
            int port = Integer.parseInt(text(s, "port").strip());
            if (port < 1 || port > 65535) {
                wrong.add("port out of range");
            }
        } catch (NumberFormatException e) {
            wrong.add("no port");
        }
        if (!SOCKET_TYPES.contains(text(s, "socketType").strip())) {
            wrong.add("unknown socketType '" + text(s, "socketType") + "'");
        }
        if (children(s, "authentication").stream().noneMatch(a -> AUTHENTICATION.contains(a.getTextContent().strip()))) {
            wrong.add("no authentication it supports (the server is skipped)");
        }
        wrong.forEach(w -> problems.add(where + ": " + w));
        return wrong.isEmpty();
    }

    /** The server URLs of the document's address books or calendars that Thunderbird would set up. */
    public static List<String> davUrls(byte[] xml, String element) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element root = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
        String type = element.equals("addressBook") ? "carddav" : "caldav";
        return children(root, element).stream().filter(e -> davProblem(e, type).isEmpty())
                .map(e -> text(e, "serverURL").strip()).toList();
    }

    private static java.util.Optional<String> davProblem(Element e, String type) {
        if (!type.equals(e.getAttribute("type"))) {
            return java.util.Optional.of("type is '" + e.getAttribute("type") + "', not " + type);
        }
        try {
            // Placeholders are replaced with the account's values before the URL is used.
            java.net.URI u = new java.net.URI(text(e, "serverURL").strip().replace("%EMAILADDRESS%", "a@example.org")
                    .replace("%EMAILLOCALPART%", "a").replace("%EMAILDOMAIN%", "example.org"));
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null) {
                return java.util.Optional.of("serverURL '" + text(e, "serverURL") + "' is not an http(s) URL");
            }
        } catch (java.net.URISyntaxException ex) {
            return java.util.Optional.of("serverURL is not a URL");
        }
        return java.util.Optional.empty();
    }

    private static String text(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? "" : c.get(0).getTextContent();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) {
                out.add(e);
            }
        }
        return out;
    }
}
