package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Identical concurrent lookups share one discovery; later ones come from the cache. */
@ExtendWith(VertxExtension.class)
class CoalescingTest {

    @Test
    void concurrentIdenticalLookupsRunOneDiscovery(Vertx vertx, VertxTestContext test) throws Exception {
        Fixture f = Fixture.start(ServeSettings.defaults().withRateLimit(null, 0));
        Fixture.publish(f.dns, "shared.test");
        // Slow enough that all requests arrive while the first discovery is still running.
        f.dns.delay("_imaps._tcp.shared.test", Duration.ofMillis(500));
        WebClient client = WebClient.create(vertx);
        List<Future<HttpResponse<io.vertx.core.buffer.Buffer>>> calls = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            calls.add(client.get(f.server.port(), "127.0.0.1", "/v1/lookup")
                    .addQueryParam("email", "carol@shared.test").send());
        }
        Future.all(calls).onComplete(test.succeeding(all -> test.verify(() -> {
            for (var call : calls) {
                assertThat(call.result().statusCode()).isEqualTo(200);
                JsonObject body = call.result().bodyAsJsonObject();
                assertThat(body.getJsonArray("incoming").getJsonObject(0).getString("host")).isEqualTo("imap.shared.test");
            }
            assertThat(f.dns.queryCount("_imaps._tcp.shared.test", "SRV")).isEqualTo(1);
            // A later lookup is answered from the cache: still one query.
            client.get(f.server.port(), "127.0.0.1", "/v1/lookup").addQueryParam("email", "carol@shared.test").send()
                    .onComplete(test.succeeding(again -> test.verify(() -> {
                        assertThat(again.statusCode()).isEqualTo(200);
                        assertThat(f.dns.queryCount("_imaps._tcp.shared.test", "SRV")).isEqualTo(1);
                        String metrics = f.get("/metrics").body();
                        assertThat(metrics).contains("mailsetup_lookup_cache_total{result=\"miss\"} 1.0");
                        assertThat(metrics).contains("mailsetup_lookup_cache_total{result=\"hit\"} 25.0");
                        f.close();
                        test.completeNow();
                    })));
        })));
        assertThat(test.awaitCompletion(30, TimeUnit.SECONDS)).isTrue();
        if (test.failed()) {
            f.close();
            throw new AssertionError(test.causeOfFailure());
        }
    }
}
