package org.mailsetup.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.ProbeReport;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.ServerSettings;
import org.mailsetup.Service;
import org.mailsetup.ServiceProbeReport;
import org.mailsetup.ServiceSettings;
import org.mailsetup.SourceName;

/** The OpenAPI schemas of the result name exactly the members the contract's JSON has. */
class ContractSchemaTest {

    @Test
    void theResultSchemasDocumentEveryMemberAndNoOther() throws Exception {
        JsonNode schemas;
        try (InputStream in = ContractSchemaTest.class.getResourceAsStream("/openapi.yaml")) {
            schemas = new YAMLMapper().readTree(in).at("/components/schemas");
        }
        ProbeReport probe = new ProbeReport(true, 1, "192.0.2.1", "TLSv1.3", "c", "s", "i", "e", true, "g", List.of(),
                List.of(), List.of(), null, null);
        ServerSettings imap = new ServerSettings(Protocol.IMAP, "imap.example.org", 993, Security.TLS, "a", List.of(),
                true, true, List.of(SourceName.SRV), probe);
        ServiceSettings cal = new ServiceSettings(Service.CALENDARS, "https://dav.example.org/", "a", "%EMAILADDRESS%",
                List.of(), true, true, List.of(SourceName.CALDAV), new ServiceProbeReport(true, 1, "192.0.2.1", 207,
                List.of(), List.of(), "https://dav.example.org/", List.of(), "TLSv1.3", "c", "s", "i", "e", true, null,
                null), null);
        DiscoveryResult r = new DiscoveryResult("a@example.org", "example.org", null, List.of(imap), List.of(),
                List.of(), List.of(cal), List.of(), List.of(), List.of(), 1, null);
        JsonNode json = ContractJson.mapper().readTree(ContractJson.mapper().writeValueAsString(r));

        assertThat(names(json)).isEqualTo(names(schemas.at("/DiscoveryResult/properties")));
        assertThat(names(json.at("/incoming/0"))).isEqualTo(names(schemas.at("/ServerSettings/properties")));
        assertThat(names(json.at("/incoming/0/probe"))).isEqualTo(names(schemas.at("/ProbeReport/properties")));
        assertThat(names(json.at("/calendars/0"))).isEqualTo(names(schemas.at("/ServiceSettings/properties")));
        assertThat(names(json.at("/calendars/0/probe"))).isEqualTo(names(schemas.at("/ServiceProbeReport/properties")));
        List<String> sourceNames = new java.util.ArrayList<>();
        schemas.at("/SourceName/enum").forEach(n -> sourceNames.add(n.asText()));
        assertThat(sourceNames).containsExactlyElementsOf(
                java.util.Arrays.stream(SourceName.values()).map(SourceName::id).toList());
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
