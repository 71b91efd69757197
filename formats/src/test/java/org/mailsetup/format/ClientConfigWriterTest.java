package org.mailsetup.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.Service;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.Documentation;
import org.mailsetup.config.OAuth2Config;
import org.mailsetup.config.ProviderNote;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.config.ServiceConfig;

class ClientConfigWriterTest {

    private static ClientConfig tricky() {
        return new ClientConfig("ex<&>\"'.org",
                List.of("example.org", "example.net"),
                "Ex & <Co> \"quoted\" 'single' ]]> Jürgen ✉",
                "Ex&Co",
                List.of(new ServerConfig(Protocol.IMAP, "imap.example.org", 993, Security.TLS,
                                "\"a<b&c\"@example.org", List.of("password-cleartext", "OAuth2")),
                        new ServerConfig(Protocol.POP3, "pop.%EMAILDOMAIN%", 110, Security.STARTTLS,
                                "%EMAILLOCALPART%", List.of("password-encrypted")),
                        new ServerConfig(Protocol.IMAP, "mail.example.org", 143, Security.PLAIN,
                                "jürgen@example.org", List.of())),
                List.of(new ServerConfig(Protocol.SMTP, "smtp.example.org", 587, Security.STARTTLS,
                        "%EMAILADDRESS%", List.of("password-cleartext"))),
                List.of(new Documentation("https://example.org/help?a=1&b=<2>", "How to <set up> & go")),
                List.of("mx.example.org", "*.mx.example.net"),
                List.of(new ProviderNote("app-password", "https://example.org/app?x=1&y=2", "Needs an \"app\" <password> & more")),
                LocalDate.of(2026, 3, 1),
                new OAuth2Config("login.example.org", List.of("mail", "offline&access"),
                        "https://login.example.org/auth?a=1&b=2", "https://login.example.org/token"));
    }

    @Test
    void roundTripsThroughCoreParser() throws Exception {
        ClientConfig original = tricky();
        byte[] xml = ClientConfigWriter.write(original);

        ClientConfigParser.Result parsed = ClientConfigParser.parse(xml);

        assertThat(parsed.warnings()).isEmpty();
        assertThat(parsed.config()).isEqualTo(original);
    }

    @Test
    void escapesMarkupInEveryValue() {
        String xml = new String(ClientConfigWriter.write(tricky()), StandardCharsets.UTF_8);

        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        assertThat(xml).contains("<clientConfig version=\"1.1\"");
        assertThat(xml).doesNotContain("<Co>", "<set up>", "<password>", "<b&", "&b=<2>", "& more");
        assertThat(xml).contains("&lt;Co>").doesNotContain("]]>");
        // UTF-8 is written as characters, not mangled.
        assertThat(xml).contains("jürgen@example.org", "✉");
    }

    @Test
    void aLookupsTrustedContactsAndCalendarsBecomeAddressBookAndCalendarButNotJmap() throws Exception {
        DiscoveryResult r = Results.withEndpoints(Results.result("alice@example.org", "example.org",
                List.of(Results.server(Protocol.IMAP, "imap.example.org", 993, Security.TLS, "alice@example.org", true, true)),
                List.of(Results.server(Protocol.SMTP, "smtp.example.org", 465, Security.TLS, "alice@example.org", true, true))),
                List.of(Results.endpoint(Service.CONTACTS, "https://dav.example.org/", true, false, "Basic", "Bearer"),
                        Results.endpoint(Service.CALENDARS, "https://guess.example.org/", false, false),
                        Results.endpoint(Service.CALENDARS, "https://dav.example.org/cal/", false, true, "Digest"),
                        Results.endpoint(Service.JMAP, "https://api.example.org/jmap/session", true, true)));

        byte[] xml = ClientConfigWriter.write(ClientConfigs.fromResult(r, BestSettings.of(r)));

        assertThat(ThunderbirdRules.problems(xml)).isEmpty();
        assertThat(ThunderbirdRules.davUrls(xml, "addressBook")).containsExactly("https://dav.example.org/");
        assertThat(ThunderbirdRules.davUrls(xml, "calendar")).containsExactly("https://dav.example.org/cal/");
        String text = new String(xml, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("jmap", "guess.example.org");
        ClientConfig back = ClientConfigParser.parse(xml).config();
        // Bearer is OAuth2 only where the provider's OAuth2 details are known; a client cannot get a token otherwise.
        assertThat(back.services(Service.CONTACTS)).singleElement().satisfies(c -> {
            assertThat(c.authentication()).containsExactly("http-basic");
            assertThat(c.usernameTemplate()).isEqualTo("%EMAILADDRESS%");
        });
        assertThat(back.services(Service.CALENDARS).get(0).authentication()).containsExactly("http-digest");
    }

    @Test
    void anEntryWithServicesRoundTrips() throws Exception {
        ClientConfig t = tricky();
        ClientConfig original = new ClientConfig(t.id(), t.domains(), t.displayName(), t.displayShortName(),
                t.incoming(), t.outgoing(), t.documentation(), t.mxHosts(), t.notes(), t.lastVerified(), t.oauth2(),
                null, List.of(new ServiceConfig(Service.CONTACTS, "https://dav.example.org/?a=1&b=2", null, List.of("http-basic")),
                        new ServiceConfig(Service.CALENDARS, "https://dav.example.org/cal/%EMAILADDRESS%/", "%EMAILLOCALPART%",
                                List.of("OAuth2", "http-basic")),
                        new ServiceConfig(Service.JMAP, "https://api.example.org/jmap/session", null, List.of("OAuth2"))));

        byte[] xml = ClientConfigWriter.write(original);

        // (tricky() has a server Thunderbird skips on purpose; the address book and calendar it takes.)
        assertThat(ThunderbirdRules.problems(xml)).noneMatch(p -> p.contains("addressBook") || p.contains("calendar"));
        assertThat(ThunderbirdRules.davUrls(xml, "addressBook")).containsExactly("https://dav.example.org/?a=1&b=2");
        assertThat(ThunderbirdRules.davUrls(xml, "calendar")).containsExactly("https://dav.example.org/cal/%EMAILADDRESS%/");
        ClientConfigParser.Result parsed = ClientConfigParser.parse(xml);
        assertThat(parsed.warnings()).isEmpty();
        assertThat(parsed.config()).isEqualTo(original);
    }

    @Test
    void writesSocketTypesAndExtensionNamespace() {
        String xml = new String(ClientConfigWriter.write(tricky()), StandardCharsets.UTF_8);

        assertThat(xml).contains("<socketType>SSL</socketType>", "<socketType>STARTTLS</socketType>",
                "<socketType>plain</socketType>");
        assertThat(xml).contains("xmlns:ms=\"" + ClientConfigParser.EXTENSION_NAMESPACE + "\"");
        assertThat(xml).contains("<ms:lastVerified");
    }
}
