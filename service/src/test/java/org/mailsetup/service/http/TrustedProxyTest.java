package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsetup.service.http.AdmissionTest.waitUntil;
import static org.mailsetup.service.http.Fixture.q;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mailsetup.Cidr;

/** The rate limit and the in-flight cap key on the client a trusted proxy forwards for, and only then. */
class TrustedProxyTest {

    private static final String LOOKUP = "/v1/lookup?email=" + q("a@example.test");
    // One lookup per client, then 429 for a minute.
    private static final RateLimit ONE = new RateLimit(1, Duration.ofMinutes(1), 1);

    private static ServeSettings behindLoopbackProxy(RateLimit limit, int maxPerClient, TrustedProxies.Header header) {
        return ServeSettings.defaults().withRateLimit(limit, maxPerClient)
                .withTrustedProxies(new TrustedProxies(List.of(Cidr.parse("127.0.0.0/8")), header));
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnBucket() throws Exception {
        try (Fixture f = Fixture.start(behindLoopbackProxy(ONE, 8, TrustedProxies.Header.X_FORWARDED_FOR))) {
            assertThat(f.get(LOOKUP, "X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(200);
            assertThat(f.get(LOOKUP, "X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(429);
            // The same client written with a port is the same client.
            assertThat(f.get(LOOKUP, "X-Forwarded-For", "198.51.100.1:4711").statusCode()).isEqualTo(429);
            assertThat(f.get(LOOKUP, "X-Forwarded-For", "198.51.100.2").statusCode()).isEqualTo(200);

            // A client the proxy cannot name shares the proxy's own bucket.
            assertThat(f.get(LOOKUP, "X-Forwarded-For", "not an address").statusCode()).isEqualTo(200);
            assertThat(f.get(LOOKUP).statusCode()).isEqualTo(429);
            // The other header is the client's own writing, even behind a trusted proxy.
            assertThat(f.get(LOOKUP, "Forwarded", "for=198.51.100.3").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void behindAProxyThatWritesForwardedOnlyThatHeaderCounts() throws Exception {
        try (Fixture f = Fixture.start(behindLoopbackProxy(ONE, 8, TrustedProxies.Header.FORWARDED))) {
            assertThat(f.get(LOOKUP, "Forwarded", "for=\"[2001:db8::7]:4711\"").statusCode()).isEqualTo(200);
            assertThat(f.get(LOOKUP, "Forwarded", "for=\"[2001:db8::7]\";proto=https").statusCode()).isEqualTo(429);

            assertThat(f.get(LOOKUP, "Forwarded", "for=_hidden").statusCode()).isEqualTo(200);
            assertThat(f.get(LOOKUP).statusCode()).isEqualTo(429);
            assertThat(f.get(LOOKUP, "X-Forwarded-For", "198.51.100.4").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void anUntrustedPeerCannotEscapeItsBucketWithForwardingHeaders() throws Exception {
        // Once with no trusted proxies, once with some that do not include the peer (127.0.0.1).
        for (List<Cidr> trusted : List.of(List.<Cidr>of(), List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1/128")))) {
            ServeSettings s = ServeSettings.defaults().withRateLimit(ONE, 8)
                    .withTrustedProxies(new TrustedProxies(trusted, TrustedProxies.Header.X_FORWARDED_FOR));
            try (Fixture f = Fixture.start(s)) {
                assertThat(f.get(LOOKUP, "X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(200);

                assertThat(f.get(LOOKUP, "X-Forwarded-For", "198.51.100.99").statusCode()).as(trusted.toString())
                        .isEqualTo(429);
                assertThat(f.get(LOOKUP, "Forwarded", "for=198.51.100.98").statusCode()).isEqualTo(429);
                assertThat(f.get(LOOKUP).statusCode()).isEqualTo(429);
            }
        }
    }

    @Test
    void theInFlightCapIsPerForwardedClient() throws Exception {
        try (Fixture f = Fixture.start(behindLoopbackProxy(null, 1, TrustedProxies.Header.X_FORWARDED_FOR))) {
            Fixture.publish(f.dns, "slow.test");
            f.dns.delay("_imaps._tcp.slow.test", Duration.ofMillis(3000));
            CompletableFuture<HttpResponse<String>> first = f.http.sendAsync(
                    HttpRequest.newBuilder(f.uri("/v1/lookup?email=" + q("a@slow.test")))
                            .header("X-Forwarded-For", "198.51.100.1").build(),
                    HttpResponse.BodyHandlers.ofString());
            waitUntil(() -> f.dns.queryCount("_imaps._tcp.slow.test", "SRV") > 0);

            assertThat(f.get(LOOKUP, "X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(429);
            assertThat(f.get(LOOKUP, "X-Forwarded-For", "198.51.100.2").statusCode()).isEqualTo(200);
            assertThat(first.get().statusCode()).isEqualTo(200);
        }
    }
}
