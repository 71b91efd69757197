package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsetup.service.http.Fixture.q;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.ext.web.Route;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.mailsetup.testkit.FakeDnsServer;

/** Readiness, metrics, the OpenAPI document against the router, graceful shutdown and log masking. */
class OperationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void notReadyUntilDiscoveryHasLoaded() throws Exception {
        CountDownLatch loaded = new CountDownLatch(1);
        FakeDnsServer dns = Fixture.dns();
        MailSetupServer server = MailSetupServer.start(ServeSettings.defaults(), OwnEntries.none(), () -> {
            loaded.await();
            return MailSetupLookups.build(Fixture.discovery(dns, Duration.ofSeconds(3)), false);
        });
        try (Fixture f = fixture(dns, server)) {
            HttpResponse<String> ready = f.get("/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(ready.body()).path("status").asText()).isEqualTo("starting");
            HttpResponse<String> lookup = f.get("/v1/lookup?email=" + q("a@example.test"));
            assertThat(lookup.statusCode()).isEqualTo(503);
            assertThat(lookup.headers().firstValue("Retry-After").orElse("")).contains("1");
            assertThat(JSON.readTree(lookup.body()).path("code").asText()).isEqualTo("not-ready");
            assertThat(f.get("/healthz").statusCode()).isEqualTo(200);

            loaded.countDown();
            server.ready().toCompletionStage().toCompletableFuture().get();

            assertThat(f.get("/readyz").statusCode()).isEqualTo(200);
            assertThat(f.get("/v1/lookup?email=" + q("a@example.test")).statusCode()).isEqualTo(200);
        }
    }

    private static Fixture fixture(FakeDnsServer dns, MailSetupServer server) {
        return Fixture.of(dns, server);
    }

    @Test
    void metricsCountRoutesSourcesCacheAndProbes() throws Exception {
        try (Fixture f = Fixture.start(ServeSettings.defaults().withRateLimit(null, 0))) {
            f.get("/v1/lookup?email=" + q("m@example.test"));
            f.get("/v1/lookup?email=" + q("m@example.test"));
            f.get("/mail/config-v1.1.xml?emailaddress=" + q("m@example.test"));
            f.get("/v1/lookup?email=" + q("m@nowhere.test"));

            HttpResponse<String> r = f.get("/metrics");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
            String m = r.body();
            assertThat(m).containsPattern("vertx_http_server_requests_total\\{[^}]*route=\"/v1/lookup\"[^}]*\\} 3\\.0");
            assertThat(m).containsPattern("vertx_http_server_requests_total\\{[^}]*route=\"/mail/config-v1.1.xml\"[^}]*\\} 1\\.0");
            assertThat(m).contains("vertx_http_server_response_time_seconds");
            assertThat(m).contains("mailsetup_discovery_source_total{source=\"srv\",status=\"found\"} 1.0");
            assertThat(m).contains("mailsetup_lookup_cache_total{result=\"hit\"} 2.0");
            assertThat(m).contains("mailsetup_lookup_cache_total{result=\"miss\"} 2.0");
            assertThat(m).contains("mailsetup_lookup_cache_hit_ratio 0.5");
            assertThat(m).contains("mailsetup_lookups_total{outcome=\"found\"} 3.0");
            assertThat(m).contains("mailsetup_lookups_total{outcome=\"domain-not-found\"} 1.0");
            // Verification is off in this fixture: nothing probed.
            assertThat(m).contains("mailsetup_probes_made_total 0.0", "mailsetup_probes_verified_total 0.0");
        }
    }

    @Test
    void openApiDocumentsExactlyTheRoutesTheRouterHas() throws Exception {
        JsonNode api;
        try (InputStream in = OperationsTest.class.getResourceAsStream("/openapi.yaml")) {
            api = new YAMLMapper().readTree(in);
        }
        assertThat(api.path("openapi").asText()).startsWith("3.1");
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : api.path("paths").properties()) {
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        Set<String> routed = new TreeSet<>();
        try (Fixture f = Fixture.start(ServeSettings.defaults())) {
            for (Route route : f.server.router().getRoutes()) {
                String path = route.getPath() != null ? route.getPath() : route.getName();
                // A regex route (Autodiscover, any letter case) is documented under its name.
                if (path == null || route.methods() == null) {
                    continue; // handlers for every request (headers, CORS) are not routes of the API
                }
                route.methods().forEach(m -> routed.add(m.name() + " " + path));
            }
        }
        // HEAD goes with every GET and is documented once, in the description.
        Set<String> head = new TreeSet<>(routed.stream().filter(r -> r.startsWith("HEAD ")).toList());
        assertThat(head).map(r -> r.replaceFirst("HEAD", "GET")).isSubsetOf(routed);
        routed.removeAll(head);
        assertThat(head).hasSameSizeAs(routed.stream().filter(r -> r.startsWith("GET ")).toList());
        assertThat(routed).isEqualTo(documented);
    }

    @Test
    void headAnswersWithTheStatusAndHeadersOfGetAndNoBody() throws Exception {
        try (Fixture f = Fixture.start(ServeSettings.defaults().withRateLimit(null, 0))) {
            for (String path : new String[] {"/healthz", "/openapi.yaml", "/v1/lookup?email=" + q("m@example.test"),
                    "/v1/lookup?email=not-an-address"}) {
                HttpResponse<String> get = f.get(path);
                HttpResponse<String> head = f.http.send(HttpRequest.newBuilder(f.uri(path))
                        .HEAD().build(), HttpResponse.BodyHandlers.ofString());

                assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
                assertThat(head.body()).as(path).isEmpty();
                assertThat(head.headers().firstValue("Content-Type")).as(path).isEqualTo(get.headers().firstValue("Content-Type"));
                assertThat(get.body()).as(path).isNotEmpty();
            }
        }
    }

    @Test
    void shutdownLetsRequestsInFlightFinishAndRefusesNewOnes() throws Exception {
        Fixture f = Fixture.start(ServeSettings.defaults().withRateLimit(null, 0));
        try {
            Fixture.publish(f.dns, "slow.test");
            f.dns.delay("_imaps._tcp.slow.test", Duration.ofMillis(800));
            CompletableFuture<HttpResponse<String>> inFlight = f.http.sendAsync(
                    HttpRequest.newBuilder(f.uri("/v1/lookup?email=" + q("a@slow.test"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            AdmissionTest.waitUntil(() -> f.dns.queryCount("_imaps._tcp.slow.test", "SRV") > 0);
            int port = f.server.port();

            f.server.close();

            HttpResponse<String> r = inFlight.get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).path("incoming").get(0).path("host").asText()).isEqualTo("imap.slow.test");
            try (java.net.Socket s = new java.net.Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000))
                        .isInstanceOf(ConnectException.class);
            }
        } finally {
            f.close();
        }
    }

    @Test
    void logsMaskTheLocalPart() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (Fixture f = Fixture.start(ServeSettings.defaults().withRateLimit(null, 0))) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            f.get("/v1/lookup?email=" + q("secret.person@example.test"));
            f.get("/v1/lookup?email=" + q("secret.person@example.test") + "&timeout=1ms");
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("s***@example.test");
        assertThat(log).doesNotContain("secret.person");
    }
}
