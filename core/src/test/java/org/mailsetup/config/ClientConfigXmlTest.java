package org.mailsetup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamWriter;
import org.junit.jupiter.api.Test;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.Service;

/** The one config-v1.1 shape: what is written is what the parser reads. */
class ClientConfigXmlTest {

    private static String write(ClientConfig config) throws Exception {
        XMLOutputFactory f = XMLOutputFactory.newFactory();
        f.setProperty(XMLOutputFactory.IS_REPAIRING_NAMESPACES, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        XMLStreamWriter w = f.createXMLStreamWriter(out, "UTF-8");
        ClientConfigXml.write(config, w);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesElementsInConfigOrderAndLeavesOutWhatIsUnset() throws Exception {
        ClientConfig config = new ClientConfig("example", List.of("example.org"), "Example", null,
                List.of(new ServerConfig(Protocol.IMAP, "imap.example.org", 993, Security.TLS, "%EMAILADDRESS%",
                        List.of("password-cleartext"))),
                List.of(new ServerConfig(Protocol.SMTP, "smtp.example.org", 587, Security.STARTTLS, null, List.of())),
                List.of(), List.of("mx.example.org"), List.of(), LocalDate.of(2026, 1, 2), null);

        assertThat(write(config)).isEqualToIgnoringNewLines("""
                <clientConfig version="1.1">
                  <emailProvider id="example">
                    <domain>example.org</domain>
                    <displayName>Example</displayName>
                    <incomingServer type="imap">
                      <hostname>imap.example.org</hostname>
                      <port>993</port>
                      <socketType>SSL</socketType>
                      <username>%EMAILADDRESS%</username>
                      <authentication>password-cleartext</authentication>
                    </incomingServer>
                    <outgoingServer type="smtp">
                      <hostname>smtp.example.org</hostname>
                      <port>587</port>
                      <socketType>STARTTLS</socketType>
                    </outgoingServer>
                    <ms:mxHost xmlns:ms="urn:mailsetup:provider:1">mx.example.org</ms:mxHost>
                    <ms:lastVerified xmlns:ms="urn:mailsetup:provider:1">2026-01-02</ms:lastVerified>
                  </emailProvider>
                </clientConfig>""");
    }

    @Test
    void whatIsWrittenParsesBackUnchanged() throws Exception {
        ClientConfig config = new ClientConfig(null, List.of("example.org", "example.net"), null, "Ex",
                List.of(new ServerConfig(Protocol.POP3, "pop.%EMAILDOMAIN%", 995, Security.TLS, "%EMAILLOCALPART%",
                        List.of("password-encrypted", "OAuth2"))),
                List.of(),
                List.of(new Documentation("https://example.org/help", "Help"),
                        new Documentation("https://example.org/x", null)),
                List.of("*.mx.example.org"), List.of(new ProviderNote("app-password", null, "Use an app password")),
                null, new OAuth2Config("login.example.org", List.of("a", "b"), null, "https://login.example.org/t"));

        ClientConfigParser.Result back = ClientConfigParser.parse(write(config).getBytes(StandardCharsets.UTF_8));

        assertThat(back.warnings()).isEmpty();
        assertThat(back.config()).isEqualTo(config);
    }

    @Test
    void aNoClientAccessEntryRoundTripsWithItsBridge() throws Exception {
        ClientConfig config = new ClientConfig("bridged", List.of("bridged.example"), "Bridged", null, List.of(),
                List.of(), List.of(), List.of(), List.of(), null, null,
                new NoClientAccess("Only through the bridge program.", "https://help.bridged.example/",
                        List.of(new NoClientAccess.Bridge(Protocol.IMAP, "127.0.0.1", 1143, Security.STARTTLS))));

        String xml = write(config);
        ClientConfigParser.Result back = ClientConfigParser.parse(xml.getBytes(StandardCharsets.UTF_8));

        assertThat(xml).contains("<ms:bridge xmlns:ms=\"urn:mailsetup:provider:1\" type=\"imap\" host=\"127.0.0.1\""
                + " port=\"1143\" socketType=\"STARTTLS\"/>");
        assertThat(back.warnings()).isEmpty();
        assertThat(back.config()).isEqualTo(config);
    }

    @Test
    void serviceEndpointsAreWrittenAfterTheProviderAndParseBack() throws Exception {
        ClientConfig config = new ClientConfig("example", List.of("example.org"), null, null,
                List.of(new ServerConfig(Protocol.IMAP, "imap.example.org", 993, Security.TLS, null, List.of())),
                List.of(), List.of(), List.of(), List.of(), null, null, null,
                List.of(new ServiceConfig(Service.CONTACTS, "https://dav.example.org/card/", "%EMAILADDRESS%",
                                List.of("http-basic")),
                        new ServiceConfig(Service.CALENDARS, "https://dav.example.org/cal/", null, List.of()),
                        new ServiceConfig(Service.JMAP, "https://jmap.example.org/session", null, List.of("OAuth2"))));

        String xml = write(config);
        ClientConfigParser.Result back = ClientConfigParser.parse(xml.getBytes(StandardCharsets.UTF_8));

        assertThat(xml).isEqualToIgnoringNewLines("""
                <clientConfig version="1.1">
                  <emailProvider id="example">
                    <domain>example.org</domain>
                    <incomingServer type="imap">
                      <hostname>imap.example.org</hostname>
                      <port>993</port>
                      <socketType>SSL</socketType>
                    </incomingServer>
                  </emailProvider>
                  <addressBook type="carddav">
                    <username>%EMAILADDRESS%</username>
                    <authentication>http-basic</authentication>
                    <serverURL>https://dav.example.org/card/</serverURL>
                  </addressBook>
                  <calendar type="caldav">
                    <serverURL>https://dav.example.org/cal/</serverURL>
                  </calendar>
                  <ms:jmap xmlns:ms="urn:mailsetup:provider:1">
                    <authentication>OAuth2</authentication>
                    <serverURL>https://jmap.example.org/session</serverURL>
                  </ms:jmap>
                </clientConfig>""");
        assertThat(back.warnings()).isEmpty();
        assertThat(back.config()).isEqualTo(config);
    }
}
