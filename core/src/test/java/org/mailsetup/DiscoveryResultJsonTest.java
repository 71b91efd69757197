package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON contract of {@code lookup --json} and the HTTP API, as a plain Jackson mapper writes it. */
class DiscoveryResultJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void resultHasExactlyTheDocumentedMembers() throws Exception {
        ServerSettings imap = new ServerSettings(Protocol.IMAP, "imap.example.org", 993, Security.TLS,
                "alice@example.org", List.of("password-cleartext"), true, false,
                List.of(SourceName.PROVIDER_DB, SourceName.SRV), null);
        DiscoveryResult r = new DiscoveryResult("alice@example.org", "example.org",
                new ProviderInfo("example.org", "Example"), List.of(imap), List.of(),
                List.of(new SourceReport(SourceName.PROVIDER_DB, SourceStatus.FOUND, 1, "entry")),
                List.of("w"), 12, null);

        JsonNode json = JSON.readTree(JSON.writeValueAsString(r));

        assertThat(json.properties()).extracting(java.util.Map.Entry::getKey).containsExactly(
                "email", "domain", "provider", "incoming", "outgoing", "contacts", "calendars", "jmap", "sources", "warnings",
                "elapsedMs", "error");
        JsonNode s = json.at("/incoming/0");
        assertThat(s.properties()).extracting(java.util.Map.Entry::getKey).containsExactly(
                "protocol", "host", "port", "security", "username", "usernameTemplate", "auth", "trusted", "verified", "foundBy", "probe",
                "notProbed");
        assertThat(s.get("protocol").asText()).isEqualTo("imap");
        assertThat(s.get("security").asText()).isEqualTo("tls");
        assertThat(s.get("foundBy").toString()).isEqualTo("[\"providerdb\",\"srv\"]");
        assertThat(json.at("/sources/0/status").asText()).isEqualTo("found");
        assertThat(json.get("error").isNull()).isTrue();
        assertThat(json.get("provider").properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("id", "name", "notes", "oauth2");
    }

    @Test
    void errorCodesUseTheirDocumentedSpelling() throws Exception {
        LookupError e = new LookupError(LookupError.Code.DOMAIN_NOT_FOUND, "gone");
        assertThat(JSON.writeValueAsString(e)).isEqualTo("{\"code\":\"domain-not-found\",\"message\":\"gone\"}");
    }

    @Test
    void serviceEndpointsHaveTheDocumentedMembersAndReadBack() throws Exception {
        ServiceProbeReport probe = new ServiceProbeReport(true, 30, "192.0.2.20", 401, List.of("1", "addressbook"),
                List.of("Basic"), "https://dav.example.org/dav/", List.of(), "TLSv1.3", "TLS_AES_128_GCM_SHA256",
                "CN=dav.example.org", "CN=CA", "2027-01-01T00:00:00Z", true, null, null);
        ServiceSettings contacts = new ServiceSettings(Service.CONTACTS, "https://dav.example.org/dav/",
                "alice@example.org", "%EMAILADDRESS%", List.of("http-basic"), true, true, List.of(SourceName.AUTOCONFIG),
                probe, null);
        DiscoveryResult r = new DiscoveryResult("alice@example.org", "example.org", null, List.of(), List.of(),
                List.of(contacts), List.of(), List.of(), List.of(), List.of(), 5, null);

        String text = JSON.writeValueAsString(r);
        JsonNode s = JSON.readTree(text).at("/contacts/0");

        assertThat(s.properties()).extracting(java.util.Map.Entry::getKey).containsExactly(
                "service", "url", "username", "usernameTemplate", "auth", "trusted", "verified", "foundBy", "probe",
                "notProbed");
        assertThat(s.get("service").asText()).isEqualTo("contacts");
        assertThat(s.at("/probe").properties()).extracting(java.util.Map.Entry::getKey).containsExactly(
                "ok", "rttMs", "address", "status", "davClasses", "authSchemes", "finalUrl", "capabilities",
                "tlsVersion", "cipherSuite", "certificateSubject", "certificateIssuer", "certificateExpires",
                "certificateValid", "failure", "failureKind");
        assertThat(JSON.readValue(text, DiscoveryResult.class)).isEqualTo(r);
    }

    @Test
    void aServiceEndpointIsHttpsAndNotMail() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServiceSettings(Service.CALENDARS,
                        "http://dav.example.org/", null, null, List.of(), false, false, List.of(), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an https URL");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServiceSettings(Service.MAIL,
                        "https://dav.example.org/", null, null, List.of(), false, false, List.of(), null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
