package org.mailsetup.providerdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailsetup.Service;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.InvalidConfigException;
import org.mailsetup.config.ServiceConfig;

/** The example in CONTRIBUTING.md is what contributors copy: it must pass the validator as printed. */
class ContributingExampleTest {

    @Test
    void theDocumentedExampleIsAValidEntry() throws IOException, InvalidConfigException {
        String doc = Files.readString(Path.of("CONTRIBUTING.md"));
        int start = doc.indexOf("```xml\n");
        assertThat(start).as("an ```xml block in CONTRIBUTING.md").isNotNegative();
        String xml = doc.substring(start + "```xml\n".length(), doc.indexOf("```", start + 6));
        ProviderFile example = new ProviderFile("example.net.xml", "example.net.xml", xml.getBytes(StandardCharsets.UTF_8));

        assertThat(new ProviderValidator().validate(List.of(example)).diagnostics()).isEmpty();

        ClientConfig c = ProviderDatabase.of(List.of(ClientConfigParser.parse(example.content()).config()))
                .byDomain("example-mail.de").orElseThrow();
        assertThat(c.mxHosts()).containsExactly("mx.example.net", "*.mx.example-hosting.net");
        assertThat(c.services()).map(ServiceConfig::service)
                .containsExactly(Service.CONTACTS, Service.CALENDARS, Service.JMAP);
    }
}
