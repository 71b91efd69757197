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
                "email", "domain", "provider", "incoming", "outgoing", "sources", "warnings", "elapsedMs", "error");
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
}
