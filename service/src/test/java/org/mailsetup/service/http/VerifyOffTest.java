package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsetup.service.http.Fixture.q;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;
import org.mailsetup.testkit.FakeDnsServer;

/** verify=true on a server started with --no-verify: the result, plus a warning that nothing was verified. */
class VerifyOffTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOOKUP = "/v1/lookup?email=" + q("alice@example.test");

    private static List<String> warnings(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        // Still the whole result: the warning comes with the settings, not instead of them.
        assertThat(body.path("incoming").size()).isPositive();
        List<String> out = new ArrayList<>();
        body.path("warnings").forEach(w -> out.add(w.asText()));
        return out;
    }

    @Test
    void explicitVerifyOnANoVerifyServerIsAnsweredWithAWarning() throws Exception {
        // The fixture's discovery is built with verify off, as --no-verify builds it.
        try (Fixture f = Fixture.start(ServeSettings.defaults().withRateLimit(null, 0))) {
            assertThat(warnings(f.get(LOOKUP + "&verify=true"))).contains(HttpApi.VERIFY_OFF_WARNING);
            // Nothing else in the result changes.
            JsonNode plain = JSON.readTree(f.get(LOOKUP).body());
            JsonNode warned = JSON.readTree(f.get(LOOKUP + "&verify=1").body());
            assertThat(warned.path("incoming")).isEqualTo(plain.path("incoming"));
            assertThat(warned.path("warnings").size()).isEqualTo(plain.path("warnings").size() + 1);

            // Not asked for, or asked not to: nothing to warn about (and the cached rendering stays clean).
            assertThat(warnings(f.get(LOOKUP))).doesNotContain(HttpApi.VERIFY_OFF_WARNING);
            assertThat(warnings(f.get(LOOKUP + "&verify=false"))).doesNotContain(HttpApi.VERIFY_OFF_WARNING);
            assertThat(warnings(f.get(LOOKUP + "&verify=true"))).containsOnlyOnce(HttpApi.VERIFY_OFF_WARNING);
        }
    }

    @Test
    void aServerThatVerifiesDoesNotWarn() throws Exception {
        FakeDnsServer dns = Fixture.dns();
        MailSetupLookups quick = MailSetupLookups.build(Fixture.discovery(dns, Duration.ofSeconds(8)), false);
        // Answers like the fixture (no probes on the loopback DNS's made-up servers) but claims to verify.
        Lookups verifying = new Lookups() {
            @Override
            public CompletableFuture<DiscoveryResult> lookup(EmailAddress email, boolean verify,
                                                             java.util.Set<org.mailsetup.Service> services) {
                return quick.lookup(email, false, services);
            }

            @Override
            public boolean verifies() {
                return true;
            }

            @Override
            public java.util.Optional<org.mailsetup.ProbeReport> checkAddresses(String host) {
                return quick.checkAddresses(host);
            }

            @Override
            public void close() {
                quick.close();
            }
        };
        try (Fixture f = Fixture.start(dns, ServeSettings.defaults().withRateLimit(null, 0), OwnEntries.none(),
                () -> verifying)) {
            assertThat(warnings(f.get(LOOKUP + "&verify=true"))).doesNotContain(HttpApi.VERIFY_OFF_WARNING);
        }
    }

    @Test
    void lookupsKnowWhetherTheyVerify() throws Exception {
        try (FakeDnsServer dns = Fixture.dns();
             MailSetupLookups off = MailSetupLookups.build(Fixture.discovery(dns, Duration.ofSeconds(3)), false);
             MailSetupLookups on = MailSetupLookups.build(Fixture.discovery(dns, Duration.ofSeconds(3)), true)) {
            assertThat(off.verifies()).isFalse();
            assertThat(on.verifies()).isTrue();
        }
    }
}
