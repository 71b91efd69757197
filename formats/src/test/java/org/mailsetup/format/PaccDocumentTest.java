package org.mailsetup.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.Service;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.Documentation;
import org.mailsetup.config.OAuth2Config;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.config.ServiceConfig;

class PaccDocumentTest {

    static ClientConfig entry(List<ServerConfig> in, List<ServerConfig> out) {
        return new ClientConfig("corp", List.of("corp.example", "corp.test"), "Corp Mail", "Corp", in, out,
                List.of(new Documentation("https://help.corp.example/mail", null)), List.of(), List.of(), null,
                new OAuth2Config("login.corp.example", List.of("mail"), null, null));
    }

    @Test
    void listsOnlyImplicitTlsServersOnStandardPortsWithFullAddressLogin() throws Exception {
        ClientConfig e = entry(
                List.of(new ServerConfig(Protocol.IMAP, "imap.corp.example", 143, Security.STARTTLS, "%EMAILADDRESS%", List.of()),
                        new ServerConfig(Protocol.IMAP, "mail.%EMAILDOMAIN%", 993, Security.TLS, "%EMAILADDRESS%",
                                List.of("password-cleartext")),
                        new ServerConfig(Protocol.POP3, "pop.corp.example", 995, Security.TLS, "%EMAILLOCALPART%", List.of())),
                List.of(new ServerConfig(Protocol.SMTP, "smtp.corp.example", 465, Security.TLS, null, List.of("OAuth2"))));

        byte[] doc = PaccDocument.forDomain(e, "corp.test").orElseThrow();
        JsonNode json = new ObjectMapper().readTree(doc);

        assertThat(json.path("protocols").path("imap").path("host").asText()).isEqualTo("mail.corp.test");
        assertThat(json.path("protocols").has("pop3")).as("POP3 login is not the full address").isFalse();
        assertThat(json.path("protocols").path("smtp").path("host").asText()).isEqualTo("smtp.corp.example");
        assertThat(json.path("protocols").path("submit").path("host").asText()).isEqualTo("smtp.corp.example");
        assertThat(json.path("authentication").path("password").asBoolean()).isTrue();
        assertThat(json.path("authentication").path("oauth-public").path("issuer").asText())
                .isEqualTo("https://login.corp.example");
        assertThat(json.path("info").path("provider").path("name").asText()).isEqualTo("Corp Mail");
        assertThat(json.path("info").path("provider").path("shortName").asText()).isEqualTo("Corp");
        assertThat(json.path("info").path("help").path("documentation").asText()).isEqualTo("https://help.corp.example/mail");
        // Member order is fixed, so the bytes (and the published digest) never change between builds.
        assertThat(new String(doc, java.nio.charset.StandardCharsets.UTF_8)).startsWith("{\"protocols\":{\"imap\":");
        assertThat(PaccDocument.forDomain(e, "corp.test").orElseThrow()).isEqualTo(doc);
    }

    @Test
    void carriesTheEntrysContactsCalendarsAndJmapWhenTheirUrlIsTheSameForTheWholeDomain() throws Exception {
        ClientConfig base = entry(
                List.of(new ServerConfig(Protocol.IMAP, "imap.corp.example", 993, Security.TLS, null, List.of())),
                List.of(new ServerConfig(Protocol.SMTP, "smtp.corp.example", 465, Security.TLS, null, List.of())));
        ClientConfig e = new ClientConfig(base.id(), base.domains(), base.displayName(), base.displayShortName(),
                base.incoming(), base.outgoing(), base.documentation(), base.mxHosts(), base.notes(), null, base.oauth2(),
                null, List.of(
                        new ServiceConfig(Service.CALENDARS, "https://dav.corp.example/cal/%EMAILADDRESS%/", null, List.of()),
                        new ServiceConfig(Service.CALENDARS, "https://dav.%EMAILDOMAIN%/cal/", null, List.of()),
                        new ServiceConfig(Service.CONTACTS, "http://dav.corp.example/card/", null, List.of()),
                        new ServiceConfig(Service.JMAP, "https://jmap.corp.example/.well-known/jmap", null, List.of())));

        JsonNode protocols = new ObjectMapper().readTree(PaccDocument.forDomain(e, "corp.test").orElseThrow())
                .path("protocols");

        assertThat(protocols.path("caldav").path("url").asText()).isEqualTo("https://dav.corp.test/cal/");
        assertThat(protocols.has("carddav")).as("an http URL is never published").isFalse();
        assertThat(protocols.path("jmap").path("url").asText()).isEqualTo("https://jmap.corp.example/.well-known/jmap");
        assertThat(protocols.path("imap").path("host").asText()).isEqualTo("imap.corp.example");
    }

    @Test
    void nothingToPublishWithoutAnImplicitTlsServer() {
        ClientConfig e = entry(List.of(new ServerConfig(Protocol.IMAP, "imap.corp.example", 143, Security.STARTTLS,
                null, List.of())), List.of());
        assertThat(PaccDocument.forDomain(e, "corp.example")).isEmpty();
    }

    @Test
    void noOneSidedDocument() {
        ClientConfig e = entry(List.of(new ServerConfig(Protocol.IMAP, "imap.corp.example", 993, Security.TLS,
                null, List.of())), List.of(new ServerConfig(Protocol.SMTP, "smtp.corp.example", 587,
                Security.STARTTLS, null, List.of())));

        assertThat(PaccDocument.forDomain(e, "corp.example")).isEmpty();
        assertThat(PaccDocument.missing(e)).hasValueSatisfying(m -> assertThat(m)
                .contains("no such outgoing (SMTP) server").doesNotContain("incoming"));
    }

    @Test
    void txtRecordCarriesTheBase64Sha256OfTheBytes() throws Exception {
        byte[] body = "{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String expected = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));

        assertThat(PaccDocument.txtRecord(body)).isEqualTo("v=UAAC1; a=sha256; d=" + expected);
    }
}
