package org.mailsetup.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailsetup.format.Results.server;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.Service;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

public class AutodiscoverTest {

    public static String request(String email) {
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
                  <Request>
                    <EMailAddress>%s</EMailAddress>
                    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
                  </Request>
                </Autodiscover>
                """.formatted(email);
    }

    public static Document dom(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    public static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getLocalName().equals(localName)) {
                out.add(e);
            }
        }
        return out;
    }

    public static String text(Element parent, String localName) {
        return children(parent, localName).get(0).getTextContent();
    }

    @Test
    void readsTheAddressAndSchemaOfAnOutlookRequest() throws Exception {
        Autodiscover.Request r = Autodiscover.parseRequest(request("&quot;a&lt;b&amp;c&quot;@example.org")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(r.emailAddress()).isEqualTo("\"a<b&c\"@example.org");
        assertThat(r.acceptableResponseSchema()).isEqualTo(Autodiscover.OUTLOOK_NS);
    }

    @Test
    void refusesExternalEntities() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE Autodiscover [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
                  <Request><EMailAddress>&x;</EMailAddress></Request>
                </Autodiscover>
                """;
        assertThatThrownBy(() -> Autodiscover.parseRequest(xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Autodiscover.InvalidRequestException.class)
                .hasMessageNotContaining("root:");
    }

    @Test
    void refusesEntityExpansionBombs() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE a [<!ENTITY l0 \"ha\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        String bomb = dtd + "<Autodiscover xmlns=\"" + Autodiscover.REQUEST_NS
                + "\"><Request><EMailAddress>&l9;</EMailAddress></Request></Autodiscover>";
        assertThatThrownBy(() -> Autodiscover.parseRequest(bomb.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Autodiscover.InvalidRequestException.class);
    }

    @Test
    void refusesOtherDocuments() {
        assertThatThrownBy(() -> Autodiscover.parseRequest(new byte[0]))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Autodiscover.parseRequest("<Autodiscover/>".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("namespace");
        assertThatThrownBy(() -> Autodiscover.parseRequest("<x xmlns='a'/>".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("<x>");
        assertThatThrownBy(() -> Autodiscover.parseRequest(request("").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("EMailAddress");
        assertThatThrownBy(() -> Autodiscover.parseRequest("<Autodiscover".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("well-formed");
        byte[] huge = request("a".repeat(Autodiscover.MAX_REQUEST_BYTES) + "@example.org").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Autodiscover.parseRequest(huge)).hasMessageContaining("larger");
    }

    @Test
    void writesOneProtocolPerTypeWithExplicitEncryption() throws Exception {
        String user = "\"a<b&c\"@example.org";
        BestSettings best = new BestSettings(
                List.of(server(Protocol.IMAP, "imap.example.org", 993, Security.TLS, user, true, true, "password-cleartext"),
                        server(Protocol.IMAP, "imap2.example.org", 143, Security.STARTTLS, user, true, true),
                        server(Protocol.POP3, "pop.example.org", 110, Security.STARTTLS, user, true, true, "NTLM")),
                List.of(server(Protocol.SMTP, "smtp.example.org", 587, Security.STARTTLS, user, true, true)));

        Document doc = dom(Autodiscover.settingsResponse(best));

        Element root = doc.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("Autodiscover");
        assertThat(root.getNamespaceURI()).isEqualTo(Autodiscover.RESPONSE_NS);
        Element response = children(root, "Response").get(0);
        assertThat(response.getNamespaceURI()).isEqualTo(Autodiscover.OUTLOOK_NS);
        Element account = children(response, "Account").get(0);
        assertThat(account.getNamespaceURI()).isEqualTo(Autodiscover.OUTLOOK_NS);
        assertThat(text(account, "AccountType")).isEqualTo("email");
        assertThat(text(account, "Action")).isEqualTo("settings");
        List<Element> protocols = children(account, "Protocol");
        assertThat(protocols).extracting(p -> text(p, "Type")).containsExactly("IMAP", "POP3", "SMTP");

        Element imap = protocols.get(0);
        assertThat(text(imap, "Server")).isEqualTo("imap.example.org");
        assertThat(text(imap, "Port")).isEqualTo("993");
        assertThat(text(imap, "LoginName")).isEqualTo(user);
        assertThat(text(imap, "SSL")).isEqualTo("on");
        assertThat(text(imap, "Encryption")).isEqualTo("SSL");
        assertThat(text(imap, "SPA")).isEqualTo("off");
        assertThat(text(imap, "AuthRequired")).isEqualTo("on");

        Element pop = protocols.get(1);
        assertThat(text(pop, "Encryption")).isEqualTo("TLS");
        assertThat(text(pop, "SPA")).isEqualTo("on");
        Element smtp = protocols.get(2);
        assertThat(text(smtp, "Port")).isEqualTo("587");
        assertThat(text(smtp, "SSL")).isEqualTo("on");
        assertThat(text(smtp, "Encryption")).isEqualTo("TLS");
        assertThat(text(smtp, "SPA")).isEqualTo("off");
    }

    @Test
    void staysMailOnlyWhenTheLookupFoundContactsCalendarsAndJmap() throws Exception {
        DiscoveryResult r = Results.withEndpoints(Results.result("alice@example.org", "example.org",
                List.of(server(Protocol.IMAP, "imap.example.org", 993, Security.TLS, "alice@example.org", true, true)),
                List.of(server(Protocol.SMTP, "smtp.example.org", 465, Security.TLS, "alice@example.org", true, true))),
                List.of(Results.endpoint(Service.CONTACTS, "https://dav.example.org/", true, true),
                        Results.endpoint(Service.CALENDARS, "https://dav.example.org/", true, true),
                        Results.endpoint(Service.JMAP, "https://dav.example.org/jmap", true, true)));

        byte[] xml = Autodiscover.settingsResponse(BestSettings.of(r));

        List<Element> protocols = children(children(children(dom(xml).getDocumentElement(), "Response").get(0),
                "Account").get(0), "Protocol");
        assertThat(protocols).extracting(p -> text(p, "Type")).containsExactly("IMAP", "SMTP");
        assertThat(new String(xml, StandardCharsets.UTF_8)).doesNotContain("dav.example.org");
    }

    @Test
    void writesErrorsInTheResponseSchema() throws Exception {
        Document doc = dom(Autodiscover.errorResponse(Autodiscover.ERROR_INVALID_REQUEST, "bad <address> & more"));

        Element response = children(doc.getDocumentElement(), "Response").get(0);
        assertThat(response.getNamespaceURI()).isEqualTo(Autodiscover.RESPONSE_NS);
        Element error = children(response, "Error").get(0);
        assertThat(text(error, "ErrorCode")).isEqualTo("600");
        assertThat(text(error, "Message")).isEqualTo("bad <address> & more");
    }

    @Test
    void errorsEchoingCharactersXmlCannotCarryStayWellFormed() throws Exception {
        // U+FFFF came back as "&#xffff;", which XML 1.0 forbids even as a reference.
        String echoed = "invalid address: a\uffffb\u0000c\ud800d\u0008e@example.org";
        byte[] xml = Autodiscover.errorResponse(Autodiscover.ERROR_INVALID_REQUEST, echoed);

        Element error = children(children(dom(xml).getDocumentElement(), "Response").get(0), "Error").get(0);
        assertThat(text(error, "Message")).isEqualTo("invalid address: a\ufffdb\ufffdc\ufffdd\ufffde@example.org");
        assertThat(new String(xml, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("&#");
    }
}
