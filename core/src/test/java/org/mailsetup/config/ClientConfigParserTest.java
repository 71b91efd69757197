package org.mailsetup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailsetup.EmailAddress;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.Service;

class ClientConfigParserTest {

    /** The ISPDB reference copy beside the project root (the build passes its place). */
    private static final Path ISPDB = Path.of(System.getProperty("mailsetup.reference.dir", "../shared/reference"), "ispdb");

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ClientConfigParserTest.class.getResourceAsStream("/config/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String minimal(String serverXml) {
        return "<clientConfig version=\"1.1\"><emailProvider id=\"x.example\"><domain>x.example</domain>"
                + serverXml + "</emailProvider></clientConfig>";
    }

    @Test
    void parsesAValidDocument() throws Exception {
        ClientConfigParser.Result r = ClientConfigParser.parse(resource("valid.xml"));
        ClientConfig c = r.config();

        assertThat(c.id()).isEqualTo("example.org");
        assertThat(c.domains()).containsExactly("example.org", "example.net");
        assertThat(c.name()).isEqualTo("Example Mail");
        assertThat(c.displayShortName()).isEqualTo("Example");
        assertThat(c.incoming()).extracting(ServerConfig::protocol, ServerConfig::hostname, ServerConfig::port,
                        ServerConfig::security)
                .containsExactly(tuple(Protocol.IMAP, "imap.example.org", 993, Security.TLS),
                        tuple(Protocol.POP3, "pop.%EMAILDOMAIN%", 110, Security.STARTTLS));
        assertThat(c.incoming().getFirst().authentication()).containsExactly("password-cleartext", "OAuth2");
        assertThat(c.outgoing()).extracting(ServerConfig::port, ServerConfig::security)
                .containsExactly(tuple(587, Security.STARTTLS), tuple(25, Security.PLAIN));
        assertThat(c.outgoing().get(1).username()).isNull();
        assertThat(c.documentation()).containsExactly(new Documentation("https://example.org/help/mail", "Mail settings"));
        assertThat(c.mxHosts()).isEmpty();
        assertThat(c.oauth2()).isNull();
        assertThat(r.warnings()).singleElement().asString().contains("not a domain");
    }

    @Test
    void expandsPlaceholders() throws Exception {
        ClientConfig c = ClientConfigParser.parse(resource("valid.xml")).config();
        EmailAddress email = EmailAddress.parse("Jane.Doe@Example.ORG");

        assertThat(c.incoming().get(0).usernameFor(email)).isEqualTo("Jane.Doe@example.org");
        assertThat(c.incoming().get(1).hostnameFor(email)).isEqualTo("pop.example.org");
        assertThat(c.incoming().get(1).usernameFor(email)).isEqualTo("Jane.Doe");
        assertThat(c.outgoing().get(0).usernameFor(email)).isEqualTo("Jane.Doe@example.org");
        // No username element: the full address.
        assertThat(c.outgoing().get(1).usernameFor(email)).isEqualTo("Jane.Doe@example.org");
    }

    @Test
    void repeatedElementsNeedNotBeAdjacent() throws Exception {
        String xml = "<clientConfig xmlns:ms=\"urn:mailsetup:provider:1\"><emailProvider id=\"x\">"
                + "<domain>a.example</domain><displayName>X</displayName><domain>b.example</domain>"
                + "<incomingServer type=\"imap\"><hostname>imap.x.example</hostname><port>993</port>"
                + "<socketType>SSL</socketType><authentication>OAuth2</authentication><username>u</username>"
                + "<authentication>password-cleartext</authentication></incomingServer>"
                + "<outgoingServer type=\"smtp\"><hostname>smtp.x.example</hostname><port>465</port>"
                + "<socketType>SSL</socketType></outgoingServer>"
                + "<ms:mxHost>mx1.x.example</ms:mxHost><ms:note type=\"other\">n1</ms:note>"
                + "<incomingServer type=\"pop3\"><hostname>pop.x.example</hostname><port>995</port>"
                + "<socketType>SSL</socketType></incomingServer>"
                + "<ms:mxHost>mx2.x.example</ms:mxHost><ms:note type=\"other\">n2</ms:note>"
                + "<outgoingServer type=\"smtp\"><hostname>smtp.x.example</hostname><port>587</port>"
                + "<socketType>STARTTLS</socketType></outgoingServer>"
                + "</emailProvider></clientConfig>";
        ClientConfig c = ClientConfigParser.parse(utf8(xml)).config();
        assertThat(c.domains()).containsExactly("a.example", "b.example");
        assertThat(c.incoming()).extracting(ServerConfig::protocol).containsExactly(Protocol.IMAP, Protocol.POP3);
        assertThat(c.incoming().getFirst().authentication()).containsExactly("OAuth2", "password-cleartext");
        assertThat(c.outgoing()).extracting(ServerConfig::port).containsExactly(465, 587);
        assertThat(c.mxHosts()).containsExactly("mx1.x.example", "mx2.x.example");
        assertThat(c.notes()).extracting(ProviderNote::text).containsExactly("n1", "n2");
    }

    @Test
    void dropsBadServersWithWarnings() throws Exception {
        ClientConfigParser.Result r = ClientConfigParser.parse(resource("broken-servers.xml"));

        assertThat(r.config().incoming()).singleElement().satisfies(s -> {
            assertThat(s.hostname()).isEqualTo("pop.broken.example");
            assertThat(s.port()).isEqualTo(995);
            // The unclosed placeholder falls back to the full address; the unknown method is dropped.
            assertThat(s.username()).isEqualTo("%EMAILADDRESS%");
            assertThat(s.authentication()).containsExactly("password-cleartext");
        });
        assertThat(String.join("\n", r.warnings()))
                .contains("socketType 'QUANTUM' is unknown")
                .contains("port 99999 is out of range")
                .contains("host name 'imap broken;example' is not valid")
                .contains("type='exchange'")
                .contains("port 'pop' is not a number")
                .contains("not closed")
                .contains("authentication 'magic-beans' is unknown");
        assertThat(r.warnings()).hasSize(7);
    }

    @Test
    void noUsableServerIsInvalid() {
        String xml = minimal("<incomingServer type=\"imap\"><hostname>imap.x.example</hostname><port>0</port>"
                + "<socketType>SSL</socketType></incomingServer>");
        assertThatThrownBy(() -> ClientConfigParser.parse(utf8(xml)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("no usable incoming or outgoing server")
                .hasMessageContaining("port 0 is out of range");
        assertThatThrownBy(() -> ClientConfigParser.parse(utf8(minimal(""))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("no usable");
    }

    @Test
    void aProviderWithoutClientAccessNeedsNoServersAndKeepsItsBridgeEndpoints() throws Exception {
        String xml = minimal("""
                <ms:noClientAccess xmlns:ms="urn:mailsetup:provider:1" url="https://help.x.example/apps">Mail apps
                  connect through the X Bridge program only.</ms:noClientAccess>
                <ms:bridge xmlns:ms="urn:mailsetup:provider:1" type="imap" host="127.0.0.1" port="1143" socketType="STARTTLS"/>
                <ms:bridge xmlns:ms="urn:mailsetup:provider:1" type="smtp" host="127.0.0.1" port="1025" socketType="STARTTLS"/>
                <ms:bridge xmlns:ms="urn:mailsetup:provider:1" type="imap" host="127.0.0.1" port="many" socketType="SSL"/>""");

        ClientConfigParser.Result r = ClientConfigParser.parse(utf8(xml));

        assertThat(r.config().incoming()).isEmpty();
        assertThat(r.config().outgoing()).isEmpty();
        NoClientAccess n = r.config().noClientAccess();
        assertThat(n.reason()).isEqualTo("Mail apps\n  connect through the X Bridge program only.");
        assertThat(n.url()).isEqualTo("https://help.x.example/apps");
        assertThat(n.bridge()).containsExactly(
                new NoClientAccess.Bridge(Protocol.IMAP, "127.0.0.1", 1143, Security.STARTTLS),
                new NoClientAccess.Bridge(Protocol.SMTP, "127.0.0.1", 1025, Security.STARTTLS));
        assertThat(r.warnings()).containsExactly("ms:bridge type='imap' host='127.0.0.1' is incomplete; ignored");
    }

    @Test
    void bridgeEndpointsOutsideANoClientAccessEntryAreIgnored() throws Exception {
        String xml = minimal("""
                <incomingServer type="imap"><hostname>imap.x.example</hostname><port>993</port><socketType>SSL</socketType>
                <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
                <ms:bridge xmlns:ms="urn:mailsetup:provider:1" type="imap" host="127.0.0.1" port="1143" socketType="STARTTLS"/>""");

        ClientConfigParser.Result r = ClientConfigParser.parse(utf8(xml));

        assertThat(r.config().noClientAccess()).isNull();
        assertThat(r.warnings()).containsExactly("ms:bridge outside an ms:noClientAccess entry; ignored");
    }

    @Test
    void smtpAsIncomingAndImapAsOutgoingAreDropped() {
        String xml = minimal("<incomingServer type=\"smtp\"><hostname>a.x.example</hostname><port>25</port>"
                + "</incomingServer><outgoingServer type=\"imap\"><hostname>b.x.example</hostname><port>143</port>"
                + "</outgoingServer>");
        assertThatThrownBy(() -> ClientConfigParser.parse(utf8(xml))).isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void readsExtensionElementsAndOAuth2() throws Exception {
        ClientConfigParser.Result r = ClientConfigParser.parse(resource("extensions.xml"));
        ClientConfig c = r.config();

        assertThat(r.warnings()).isEmpty();
        assertThat(c.mxHosts()).containsExactly("mx.bigmail.example", "*.mx.bigmail.example");
        assertThat(c.notes()).containsExactly(
                new ProviderNote("app-password", "https://bigmail.example/app-passwords", "Create an app password first."),
                new ProviderNote("enable-imap", null, "Turn IMAP on in the web settings."));
        assertThat(c.lastVerified()).isEqualTo(LocalDate.of(2025, 11, 3));
        assertThat(c.oauth2Config()).hasValueSatisfying(o -> {
            assertThat(o.issuer()).isEqualTo("login.bigmail.example");
            assertThat(o.scopes()).containsExactly("mail", "offline");
            assertThat(o.authUrl()).isEqualTo("https://login.bigmail.example/authorize");
            assertThat(o.tokenUrl()).isEqualTo("https://login.bigmail.example/token");
        });
    }

    @Test
    void badLastVerifiedIsAWarning() throws Exception {
        String xml = minimal("<incomingServer type=\"imap\"><hostname>imap.x.example</hostname><port>993</port>"
                + "<socketType>SSL</socketType></incomingServer><lastVerified>last tuesday</lastVerified>");
        ClientConfigParser.Result r = ClientConfigParser.parse(utf8(xml));
        assertThat(r.config().lastVerified()).isNull();
        assertThat(r.warnings()).singleElement().asString().contains("last tuesday");
    }

    @Test
    void unknownNoteTypeBecomesOther() throws Exception {
        String xml = "<clientConfig xmlns:ms=\"urn:mailsetup:provider:1\"><emailProvider id=\"x\">"
                + "<incomingServer type=\"imap\"><hostname>imap.x.example</hostname><port>993</port>"
                + "<socketType>SSL</socketType></incomingServer>"
                + "<ms:note type=\"sacrifice-a-goat\">Hm.</ms:note><ms:note>No type.</ms:note></emailProvider></clientConfig>";
        ClientConfigParser.Result r = ClientConfigParser.parse(utf8(xml));
        assertThat(r.config().notes()).extracting(ProviderNote::type).containsExactly("other", "other");
        assertThat(r.warnings()).singleElement().asString().contains("sacrifice-a-goat");
    }

    @Test
    void htmlIsNotAConfig() {
        assertThatThrownBy(() -> ClientConfigParser.parse(utf8("<!doctype html><html><body>Welcome!</body></html>")))
                .isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> ClientConfigParser.parse(utf8("<html><body><p>Hello<br></body></html>")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("not a well-formed");
        assertThatThrownBy(() -> ClientConfigParser.parse(utf8("<html><head><title>x</title></head></html>")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("root element is <html>");
        assertThatThrownBy(() -> ClientConfigParser.parse(utf8("<clientConfig version=\"1.1\"/>")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("no <emailProvider>");
        assertThatThrownBy(() -> ClientConfigParser.parse(new byte[0])).isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void onlyClientConfigRootIsAccepted() {
        String xml = "<Autodiscover><emailProvider id=\"x\"><incomingServer type=\"imap\"><hostname>imap.x.example"
                + "</hostname><port>993</port><socketType>SSL</socketType></incomingServer></emailProvider></Autodiscover>";
        assertThatThrownBy(() -> ClientConfigParser.parse(utf8(xml)))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("clientConfig");
    }

    @Test
    @Timeout(10)
    void refusesExternalEntities() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE clientConfig [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + minimal("<incomingServer type=\"imap\"><hostname>&xxe;</hostname><port>993</port></incomingServer>");
        assertThatThrownBy(() -> ClientConfigParser.parse(utf8(xml)))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("DTD");
    }

    @Test
    @Timeout(10)
    void refusesEntityBombEvenAfterALongProlog() {
        StringBuilder bomb = new StringBuilder("<?xml version=\"1.0\"?>\n<!--").append("x".repeat(8000)).append("-->\n");
        bomb.append("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        String prev = "lol";
        for (int i = 1; i <= 9; i++) {
            bomb.append("<!ENTITY lol").append(i).append(" \"").append(("&" + prev + ";").repeat(10)).append("\">");
            prev = "lol" + i;
        }
        bomb.append("]>").append(minimal("<incomingServer type=\"imap\"><hostname>&" + prev
                + ";</hostname><port>993</port></incomingServer>"));
        assertThatThrownBy(() -> ClientConfigParser.parse(utf8(bomb.toString())))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("DTD");
    }

    @Test
    @Timeout(10)
    void refusesHugeDocuments() {
        byte[] big = utf8(minimal("<displayName>" + "a".repeat(10 * 1024 * 1024) + "</displayName>"));
        assertThatThrownBy(() -> ClientConfigParser.parse(big))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("larger than");
    }

    @Test
    void everyIspdbFileParsesOrIsRejectedWithAReason() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(ISPDB), "no ISPDB copy at " + ISPDB);
        List<Path> files;
        try (Stream<Path> s = Files.list(ISPDB)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".xml")).sorted().toList();
        }
        Assumptions.assumeFalse(files.isEmpty(), "no .xml files in " + ISPDB);
        int parsed = 0;
        List<String> rejected = new ArrayList<>();
        long start = System.nanoTime();
        for (Path f : files) {
            try {
                ClientConfig c = ClientConfigParser.parse(Files.readAllBytes(f)).config();
                assertThat(c.incoming().size() + c.outgoing().size()).as(f.toString()).isPositive();
                parsed++;
            } catch (InvalidConfigException e) {
                assertThat(e.getMessage()).as(f.toString()).isNotBlank();
                rejected.add(f.getFileName() + ": " + e.getMessage());
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        // The real database is well-formed: nearly everything must parse.
        assertThat(parsed).as("rejected: %s", rejected).isGreaterThanOrEqualTo(files.size() * 9 / 10);
    }

    @Test
    void readsAddressBookCalendarAndJmapElements() throws Exception {
        String xml = """
                <clientConfig version="1.1" xmlns:ms="urn:mailsetup:provider:1">
                  <emailProvider id="x.example"><domain>x.example</domain>
                    <incomingServer type="imap"><hostname>imap.x.example</hostname><port>993</port>
                      <socketType>SSL</socketType></incomingServer>
                  </emailProvider>
                  <addressBook type="carddav">
                    <username>%EMAILLOCALPART%</username>
                    <authentication system="http">basic</authentication>
                    <serverURL>https://dav.x.example/carddav/%EMAILADDRESS%/</serverURL>
                  </addressBook>
                  <calendar type="CalDAV">
                    <authentication>http-basic</authentication>
                    <authentication>OAuth2</authentication>
                    <serverURL> https://dav.x.example/caldav/ </serverURL>
                  </calendar>
                  <ms:jmap><serverURL>https://jmap.x.example/.well-known/jmap</serverURL></ms:jmap>
                </clientConfig>""";

        ClientConfigParser.Result r = ClientConfigParser.parse(utf8(xml));

        assertThat(r.warnings()).isEmpty();
        assertThat(r.config().services()).containsExactly(
                new ServiceConfig(Service.CONTACTS, "https://dav.x.example/carddav/%EMAILADDRESS%/", "%EMAILLOCALPART%",
                        List.of("http-basic")),
                new ServiceConfig(Service.CALENDARS, "https://dav.x.example/caldav/", null,
                        List.of("http-basic", "OAuth2")),
                new ServiceConfig(Service.JMAP, "https://jmap.x.example/.well-known/jmap", null, List.of()));
        ServiceConfig contacts = r.config().services(Service.CONTACTS).getFirst();
        EmailAddress alice = EmailAddress.parse("al/ice@x.example");
        assertThat(contacts.serverUrlFor(alice)).isEqualTo("https://dav.x.example/carddav/al%2Fice@x.example/");
        assertThat(contacts.usernameFor(alice)).isEqualTo("al/ice");
        assertThat(r.config().services(Service.CALENDARS).getFirst().usernameFor(alice)).isEqualTo("al/ice@x.example");
    }

    @Test
    void dropsServiceElementsItCannotUseAndSaysWhy() throws Exception {
        String xml = """
                <clientConfig version="1.1">
                  <emailProvider id="x.example"><domain>x.example</domain>
                    <incomingServer type="imap"><hostname>imap.x.example</hostname><port>993</port>
                      <socketType>SSL</socketType></incomingServer>
                  </emailProvider>
                  <addressBook type="caldav"><serverURL>https://dav.x.example/</serverURL></addressBook>
                  <addressBook type="carddav"><serverURL>ftp://dav.x.example/</serverURL></addressBook>
                  <addressBook type="carddav"></addressBook>
                  <calendar type="caldav"><serverURL>https://bad_host!/</serverURL></calendar>
                  <calendar type="caldav"><serverURL>https://dav.x.example/%EMAIL%/</serverURL></calendar>
                  <calendar type="caldav"><authentication>kerberos</authentication>
                    <serverURL>http://dav.x.example/cal/</serverURL></calendar>
                </clientConfig>""";

        ClientConfigParser.Result r = ClientConfigParser.parse(utf8(xml));

        assertThat(r.config().services()).containsExactly(
                new ServiceConfig(Service.CALENDARS, "http://dav.x.example/cal/", null, List.of()));
        assertThat(r.warnings()).hasSize(6).anySatisfy(w -> assertThat(w).contains("is not carddav"))
                .anySatisfy(w -> assertThat(w).contains("not an http(s) URL"))
                .anySatisfy(w -> assertThat(w).contains("serverURL is missing"))
                .anySatisfy(w -> assertThat(w).contains("no valid host name"))
                .anySatisfy(w -> assertThat(w).contains("unknown placeholder %EMAIL%"))
                .anySatisfy(w -> assertThat(w).contains("authentication 'kerberos' is unknown"));
    }

    @Test
    void aDocumentWithOnlyServiceEndpointsIsStillNoMailConfig() {
        String xml = "<clientConfig version=\"1.1\"><emailProvider id=\"x\"><domain>x.example</domain></emailProvider>"
                + "<calendar type=\"caldav\"><serverURL>https://dav.x.example/</serverURL></calendar></clientConfig>";

        assertThatThrownBy(() -> ClientConfigParser.parse(utf8(xml)))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("no usable incoming or outgoing server");
    }

    @Test
    void theIspdbReferenceFilesThatCarryServiceElementsParseThem() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(ISPDB), "no ISPDB copy at " + ISPDB);
        List<Path> withServices = new ArrayList<>();
        try (Stream<Path> s = Files.list(ISPDB)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".xml")).toList()) {
                String text = Files.readString(f);
                if (text.contains("<addressBook") || text.contains("<calendar")) {
                    withServices.add(f);
                }
            }
        }
        // The reference copy had none when this was written; the test reads any that a newer copy brings.
        Assumptions.assumeFalse(withServices.isEmpty(), "no ISPDB reference file carries <addressBook> or <calendar>");
        for (Path f : withServices) {
            assertThat(ClientConfigParser.parse(Files.readAllBytes(f)).config().services()).as(f.toString()).isNotEmpty();
        }
    }
}
