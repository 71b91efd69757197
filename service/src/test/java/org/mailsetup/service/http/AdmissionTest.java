package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsetup.service.http.Fixture.q;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Rate limit, in-flight cap, deadlines and CORS. */
class AdmissionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tokenBucketRefusesWith429AndRetryAfter() throws Exception {
        RateLimit limit = new RateLimit(6, Duration.ofMinutes(1), 3);
        try (Fixture f = Fixture.start(ServeSettings.defaults().withRateLimit(limit, 8))) {
            for (int i = 0; i < 3; i++) {
                assertThat(f.get("/v1/lookup?email=" + q("a@example.test")).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> refused = f.get("/mail/config-v1.1.xml?emailaddress=" + q("a@example.test"));

            assertThat(refused.statusCode()).isEqualTo(429);
            // 6 a minute refills one token every 10 s.
            assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong)).get()
                    .satisfies(s -> assertThat(s).isBetween(1L, 10L));
            JsonNode p = JSON.readTree(refused.body());
            assertThat(p.path("code").asText()).isEqualTo("rate-limited");
            assertThat(p.path("status").asInt()).isEqualTo(429);
            // Health, metrics and the page are not lookups and stay available.
            assertThat(f.get("/healthz").statusCode()).isEqualTo(200);
            assertThat(f.get("/").statusCode()).isEqualTo(200);
            assertThat(f.get("/metrics").body()).contains("mailsetup_lookups_refused_total{reason=\"rate\"} 1.0");
        }
    }

    @Test
    void capsLookupsInFlightPerClient() throws Exception {
        try (Fixture f = Fixture.start(ServeSettings.defaults().withRateLimit(null, 1))) {
            f.dns.delay("_imaps._tcp.slow.test", Duration.ofMillis(3000));
            Fixture.publish(f.dns, "slow.test");
            CompletableFuture<HttpResponse<String>> first = f.http.sendAsync(
                    HttpRequest.newBuilder(f.uri("/v1/lookup?email=" + q("a@slow.test"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            waitUntil(() -> f.dns.queryCount("_imaps._tcp.slow.test", "SRV") > 0);

            HttpResponse<String> second = f.get("/v1/lookup?email=" + q("b@example.test"));

            assertThat(second.statusCode()).isEqualTo(429);
            assertThat(second.headers().firstValue("Retry-After").orElse("")).contains("1");
            assertThat(first.get().statusCode()).isEqualTo(200);
            // The slot is given back when the first lookup ends.
            assertThat(f.get("/v1/lookup?email=" + q("b@example.test")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void requestDeadlineAnswers504WhileDiscoveryGoesOn() throws Exception {
        try (Fixture f = Fixture.start(ServeSettings.defaults().withRateLimit(null, 0))) {
            Fixture.publish(f.dns, "slow.test");
            f.dns.delay("_imaps._tcp.slow.test", Duration.ofMillis(3000));
            long start = System.nanoTime();

            HttpResponse<String> r = f.get("/v1/lookup?email=" + q("a@slow.test") + "&timeout=300ms");

            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(JSON.readTree(r.body()).path("code").asText()).isEqualTo("timeout");
            assertThat(ms).as("answered before the discovery could have finished").isLessThan(2500);
            // The discovery goes on in the background; once done, a retry is served from the cache.
            HttpResponse<String> again = r;
            long end = System.nanoTime() + 15_000_000_000L;
            while (again.statusCode() == 504 && System.nanoTime() < end) {
                Thread.sleep(200);
                again = f.get("/v1/lookup?email=" + q("a@slow.test") + "&timeout=300ms");
            }
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(f.dns.queryCount("_imaps._tcp.slow.test", "SRV")).isEqualTo(1);
        }
    }

    @Test
    void timeoutParameterIsBoundedByTheServerMaximum() throws Exception {
        ServeSettings s = ServeSettings.defaults().withRateLimit(null, 0)
                .withTimeouts(Duration.ofMillis(200), Duration.ofMillis(400));
        try (Fixture f = Fixture.start(s)) {
            Fixture.publish(f.dns, "slow.test");
            f.dns.delay("_imaps._tcp.slow.test", Duration.ofSeconds(5));
            long start = System.nanoTime();

            HttpResponse<String> r = f.get("/v1/lookup?email=" + q("a@slow.test") + "&timeout=60s");

            assertThat(r.statusCode()).isEqualTo(504);
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(350L, 4000L);
        }
    }

    @Test
    void corsPreflightAllowsOnlyConfiguredOrigins() throws Exception {
        ServeSettings s = ServeSettings.defaults().withCorsOrigins(List.of("https://signup.example.org"));
        try (Fixture f = Fixture.start(s)) {
            HttpResponse<String> ok = f.http.send(HttpRequest.newBuilder(f.uri("/v1/lookup?email=a%40example.test"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://signup.example.org")
                    .header("Access-Control-Request-Method", "GET").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(ok.statusCode()).isBetween(200, 204);
            assertThat(ok.headers().firstValue("Access-Control-Allow-Origin").orElse("")).contains("https://signup.example.org");
            assertThat(ok.headers().firstValue("Access-Control-Allow-Methods")).get().asString().contains("GET");

            HttpResponse<String> actual = f.http.send(HttpRequest.newBuilder(f.uri("/v1/lookup?email=a%40example.test"))
                    .header("Origin", "https://signup.example.org").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(actual.statusCode()).isEqualTo(200);
            assertThat(actual.headers().firstValue("Access-Control-Allow-Origin").orElse("")).contains("https://signup.example.org");

            HttpResponse<String> other = f.http.send(HttpRequest.newBuilder(f.uri("/v1/lookup?email=a%40example.test"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://evil.example")
                    .header("Access-Control-Request-Method", "GET").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(other.body()).path("code").asText()).isEqualTo("origin-not-allowed");
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void withoutCorsOriginsNoCorsHeadersAreSent() throws Exception {
        try (Fixture f = Fixture.start(ServeSettings.defaults())) {
            HttpResponse<String> r = f.http.send(HttpRequest.newBuilder(f.uri("/healthz"))
                    .header("Origin", "https://signup.example.org").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
