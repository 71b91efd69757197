package org.mailsetup.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.Documentation;
import org.mailsetup.config.OAuth2Config;
import org.mailsetup.config.ProviderNote;
import org.mailsetup.config.ServerConfig;

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
    void writesSocketTypesAndExtensionNamespace() {
        String xml = new String(ClientConfigWriter.write(tricky()), StandardCharsets.UTF_8);

        assertThat(xml).contains("<socketType>SSL</socketType>", "<socketType>STARTTLS</socketType>",
                "<socketType>plain</socketType>");
        assertThat(xml).contains("xmlns:ms=\"" + ClientConfigParser.EXTENSION_NAMESPACE + "\"");
        assertThat(xml).contains("<ms:lastVerified");
    }
}
