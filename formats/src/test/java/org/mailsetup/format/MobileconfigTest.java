package org.mailsetup.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailsetup.format.Results.server;

import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.Service;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

public class MobileconfigTest {

    /** Parses a plist with a DOM parser that never fetches the DTD, and converts it to Java values. */
    public static Object parsePlist(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setExpandEntityReferences(false);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        assertThat(doc.getDoctype().getName()).isEqualTo("plist");
        assertThat(doc.getDoctype().getPublicId()).isEqualTo("-//Apple//DTD PLIST 1.0//EN");
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("plist");
        assertThat(root.getAttribute("version")).isEqualTo("1.0");
        List<Element> top = elements(root);
        assertThat(top).hasSize(1);
        return value(top.get(0));
    }

    private static List<Element> elements(Element parent) {
        List<Element> out = new java.util.ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            } else if (n.getNodeType() == Node.TEXT_NODE) {
                assertThat(n.getTextContent()).isBlank();
            }
        }
        return out;
    }

    private static Object value(Element e) {
        return switch (e.getTagName()) {
            case "string" -> e.getTextContent();
            case "integer" -> Integer.parseInt(e.getTextContent());
            case "true" -> true;
            case "false" -> false;
            case "array" -> elements(e).stream().map(MobileconfigTest::value).toList();
            case "dict" -> {
                Map<String, Object> map = new LinkedHashMap<>();
                List<Element> kids = elements(e);
                assertThat(kids.size() % 2).as("a dict alternates key and value").isZero();
                for (int i = 0; i < kids.size(); i += 2) {
                    assertThat(kids.get(i).getTagName()).isEqualTo("key");
                    map.put(kids.get(i).getTextContent(), value(kids.get(i + 1)));
                }
                yield map;
            }
            default -> throw new AssertionError("not a plist element: " + e.getTagName());
        };
    }

    /** The profile's one mail payload. */
    public static Map<String, Object> mailPayload(Map<String, Object> profile) {
        List<Map<String, Object>> mail = payloads(profile, "com.apple.mail.managed");
        assertThat(mail).hasSize(1);
        return mail.get(0);
    }

    /** The profile's payloads of this type. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> payloads(Map<String, Object> profile, String type) {
        List<Object> content = (List<Object>) profile.get("PayloadContent");
        return content.stream().map(c -> (Map<String, Object>) c).filter(c -> type.equals(c.get("PayloadType"))).toList();
    }

    private static DiscoveryResult result(String email) {
        return Results.result(email, "example.org",
                List.of(server(Protocol.POP3, "pop.example.org", 995, Security.TLS, email, true, true, "password-encrypted")),
                List.of(server(Protocol.SMTP, "smtp.example.org", 587, Security.STARTTLS, email, true, true)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void isAValidConfigurationProfileWithAMailPayload() throws Exception {
        String email = "\"a<b&c\"@example.org";
        DiscoveryResult r = result(email);

        Map<String, Object> profile = (Map<String, Object>) parsePlist(Mobileconfig.profile(r, BestSettings.of(r)));

        assertThat(profile).containsEntry("PayloadType", "Configuration").containsEntry("PayloadVersion", 1)
                .containsEntry("PayloadRemovalDisallowed", false);
        assertThat((String) profile.get("PayloadIdentifier")).startsWith("org.mailsetup.mobileconfig.example.org.");
        assertThat((String) profile.get("PayloadUUID")).matches("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}");

        Map<String, Object> mail = mailPayload(profile);
        assertThat(mail).containsEntry("PayloadType", "com.apple.mail.managed")
                .containsEntry("EmailAccountType", "EmailTypePOP")
                .containsEntry("EmailAddress", email)
                .containsEntry("EmailAccountDescription", "Ex & <Co>")
                .containsEntry("IncomingMailServerHostName", "pop.example.org")
                .containsEntry("IncomingMailServerPortNumber", 995)
                .containsEntry("IncomingMailServerUseSSL", true)
                .containsEntry("IncomingMailServerUsername", email)
                .containsEntry("IncomingMailServerAuthentication", "EmailAuthCRAMMD5")
                .containsEntry("OutgoingMailServerHostName", "smtp.example.org")
                .containsEntry("OutgoingMailServerPortNumber", 587)
                .containsEntry("OutgoingMailServerUseSSL", true)
                .containsEntry("OutgoingMailServerAuthentication", "EmailAuthPassword")
                .containsEntry("OutgoingPasswordSameAsIncomingPassword", true);
        assertThat(mail.get("PayloadUUID")).isNotEqualTo(profile.get("PayloadUUID"));
        assertThat((String) mail.get("PayloadIdentifier")).startsWith((String) profile.get("PayloadIdentifier"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void identifiersAreStablePerAddressAndDifferBetweenAddresses() throws Exception {
        DiscoveryResult a = result("alice@example.org");
        DiscoveryResult b = result("bob@example.org");

        assertThat(Mobileconfig.profile(a, BestSettings.of(a))).isEqualTo(Mobileconfig.profile(a, BestSettings.of(a)));
        Map<String, Object> pa = (Map<String, Object>) parsePlist(Mobileconfig.profile(a, BestSettings.of(a)));
        Map<String, Object> pb = (Map<String, Object>) parsePlist(Mobileconfig.profile(b, BestSettings.of(b)));
        assertThat(pa.get("PayloadUUID")).isNotEqualTo(pb.get("PayloadUUID"));
        assertThat(pa.get("PayloadIdentifier")).isNotEqualTo(pb.get("PayloadIdentifier"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void carriesCardDavAndCalDavPayloadsForTrustedOrVerifiedEndpoints() throws Exception {
        DiscoveryResult r = Results.withEndpoints(result("alice@example.org"), List.of(
                Results.endpoint(Service.CONTACTS, "https://dav.example.org/", true, false, "http-basic"),
                Results.endpoint(Service.CALENDARS, "https://guess.example.org/caldav/", false, false),
                Results.endpoint(Service.CALENDARS, "https://cal.example.org:8443/dav/calendars/alice/", false, true),
                Results.endpoint(Service.JMAP, "https://api.example.org/jmap/session", true, true)));

        Map<String, Object> profile = (Map<String, Object>) parsePlist(Mobileconfig.profile(r, BestSettings.of(r)));

        assertThat(profile.get("PayloadContent")).asList().hasSize(3);
        assertThat(profile.get("PayloadDescription")).asString().startsWith("Sets up Mail, Contacts, Calendar for alice@example.org.");
        Map<String, Object> card = payloads(profile, "com.apple.carddav.account").get(0);
        assertThat(card).containsEntry("CardDAVHostName", "dav.example.org")
                .containsEntry("CardDAVPort", 443)
                .containsEntry("CardDAVPrincipalURL", "https://dav.example.org/")
                .containsEntry("CardDAVUseSSL", true)
                .containsEntry("CardDAVUsername", "alice@example.org")
                .containsEntry("CardDAVAccountDescription", "Ex & <Co> contacts")
                .containsEntry("PayloadVersion", 1)
                .doesNotContainKey("CardDAVPassword");
        // The verified calendar wins over the one only guessed, which is never configured.
        Map<String, Object> cal = payloads(profile, "com.apple.caldav.account").get(0);
        assertThat(cal).containsEntry("CalDAVHostName", "cal.example.org")
                .containsEntry("CalDAVPort", 8443)
                .containsEntry("CalDAVPrincipalURL", "https://cal.example.org:8443/dav/calendars/alice/")
                .containsEntry("CalDAVUseSSL", true)
                .containsEntry("CalDAVUsername", "alice@example.org");
        List<Object> uuids = ((List<Map<String, Object>>) profile.get("PayloadContent")).stream()
                .map(p -> p.get("PayloadUUID")).toList();
        assertThat(uuids).doesNotHaveDuplicates().doesNotContain(profile.get("PayloadUUID"));
    }

    @Test
    void leavesOutEndpointsNeitherVerifiedNorTrusted() throws Exception {
        DiscoveryResult r = Results.withEndpoints(result("alice@example.org"), List.of(
                Results.endpoint(Service.CONTACTS, "https://guess.example.org/", false, false)));

        @SuppressWarnings("unchecked")
        Map<String, Object> profile = (Map<String, Object>) parsePlist(Mobileconfig.profile(r, BestSettings.of(r)));

        assertThat(profile.get("PayloadContent")).asList().hasSize(1);
        assertThat(payloads(profile, "com.apple.carddav.account")).isEmpty();
        assertThat(profile.get("PayloadDescription")).asString().startsWith("Sets up Mail for alice@example.org.");
    }

    @Test
    void needsBothDirections() {
        DiscoveryResult r = Results.result("a@example.org", "example.org",
                List.of(server(Protocol.IMAP, "imap.example.org", 993, Security.TLS, "a", true, true)), List.of());
        assertThat(Mobileconfig.canDescribe(BestSettings.of(r))).isFalse();
        assertThatThrownBy(() -> Mobileconfig.profile(r, BestSettings.of(r))).isInstanceOf(IllegalArgumentException.class);
    }
}
