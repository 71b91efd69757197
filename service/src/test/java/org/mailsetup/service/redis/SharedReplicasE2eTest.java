package org.mailsetup.service.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsetup.Cidr;
import org.mailsetup.EmailAddress;
import org.mailsetup.LookupOptions;
import org.mailsetup.service.http.Fixture;
import org.mailsetup.service.http.MailSetupLookups;
import org.mailsetup.service.http.MailSetupServer;
import org.mailsetup.service.http.OwnEntries;
import org.mailsetup.service.http.RateLimit;
import org.mailsetup.service.http.ServeSettings;
import org.mailsetup.service.http.TrustedProxies;
import org.mailsetup.testkit.E2eRedis;
import org.mailsetup.testkit.FakeDnsServer;

/**
 * Two replicas (in-process servers on their own ports, each with its own discovery, DNS cache and Redis
 * connection) sharing a real Redis: the script's for sharing, limits and bad values; one started here
 * for the outage, so killing it disturbs nothing else. Discoveries are counted as SRV queries on the
 * fake DNS, one domain per test, so nothing depends on what earlier runs left in Redis.
 */
@Tag("e2e")
class SharedReplicasE2eTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** The options every lookup here runs with: the key of its result in Redis depends on them. */
    private static final LookupOptions OPTIONS = new LookupOptions(TIMEOUT, false);

    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FakeDnsServer dns;
    private String domain;

    @BeforeEach
    void setUp() throws Exception {
        dns = new FakeDnsServer().start();
        domain = "r" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        Fixture.publish(dns, domain);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeLater.reversed()) {
            c.close();
        }
        dns.close();
    }

    private MailSetupServer replica(String redisUrl, ServeSettings settings) throws Exception {
        Redis redis = Redis.connect(redisUrl, null, Duration.ofMillis(250));
        // Connecting has two seconds before the replica goes on alone; on a busy machine give it more.
        for (int i = 0; i < 200 && !redis.up(); i++) {
            Thread.sleep(50);
        }
        MailSetupServer server = MailSetupServer.start(settings, OwnEntries.none(), redis,
                () -> MailSetupLookups.build(Fixture.discovery(dns, TIMEOUT), false, redis.resultCache()));
        closeLater.add(server);
        server.ready().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        return server;
    }

    private static ServeSettings unlimited() {
        return ServeSettings.defaults().withRateLimit(null, 0);
    }

    private HttpResponse<String> lookup(MailSetupServer s, String email, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/lookup?email="
                + URLEncoder.encode(email, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(MailSetupServer s, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private double metric(MailSetupServer s, String name) throws Exception {
        return get(s, "/metrics").lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1))).orElse(0.0);
    }

    private int discoveries() {
        return dns.queryCount("_imaps._tcp." + domain, "SRV");
    }

    @Test
    void aLookupAnsweredOnOneReplicaIsServedFromTheCacheOnTheOther() throws Exception {
        E2eRedis.assumeRunning();
        MailSetupServer a = replica(E2eRedis.url(), unlimited());
        MailSetupServer b = replica(E2eRedis.url(), unlimited());
        String email = "alice@" + domain;

        HttpResponse<String> onA = lookup(a, email);
        assertThat(onA.statusCode()).isEqualTo(200);
        assertThat(discoveries()).isEqualTo(1);

        HttpResponse<String> onB = lookup(b, email);
        assertThat(onB.statusCode()).isEqualTo(200);
        assertThat(onB.body()).isEqualTo(onA.body());
        assertThat(discoveries()).as("B answered from Redis, without a discovery of its own").isEqualTo(1);
        assertThat(get(b, "/metrics")).contains("mailsetup_redis_up 1.0")
                .contains("mailsetup_redis_cache_total{result=\"hit\"} 1.0");
        assertThat(get(b, "/readyz")).contains("\"redis\":\"up\"");

        // What is stored: the JSON contract, under a hash of the address, never the address in clear.
        try (RedisClient client = RedisClient.create(E2eRedis.url());
             StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(c.sync().keys("*" + domain + "*")).isEmpty();
            String key = Keys.result(EmailAddress.parse(email), OPTIONS);
            assertThat(c.sync().get(key)).isEqualTo(onA.body());
            assertThat(c.sync().pttl(key)).isPositive();
        }
    }

    @Test
    void identicalConcurrentColdLookupsOnBothReplicasRunOneDiscovery() throws Exception {
        E2eRedis.assumeRunning();
        MailSetupServer a = replica(E2eRedis.url(), unlimited());
        MailSetupServer b = replica(E2eRedis.url(), unlimited());
        dns.delay("_imaps._tcp." + domain, Duration.ofMillis(400));
        String email = "carol@" + domain;
        var onA = java.util.concurrent.CompletableFuture.supplyAsync(() -> status(a, email));
        var onB = java.util.concurrent.CompletableFuture.supplyAsync(() -> status(b, email));
        assertThat(onA.get()).isEqualTo(200);
        assertThat(onB.get()).isEqualTo(200);
        assertThat(discoveries()).as("one replica held the lock, the other read its result").isEqualTo(1);
    }

    private int status(MailSetupServer s, String email) {
        try {
            return lookup(s, email).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theRateLimitHoldsAcrossBothReplicas() throws Exception {
        E2eRedis.assumeRunning();
        ServeSettings limited = ServeSettings.defaults().withRateLimit(new RateLimit(4, Duration.ofMinutes(1), 4), 8)
                .withTrustedProxies(new TrustedProxies(List.of(Cidr.parse("127.0.0.0/8")),
                        TrustedProxies.Header.X_FORWARDED_FOR));
        MailSetupServer a = replica(E2eRedis.url(), limited);
        MailSetupServer b = replica(E2eRedis.url(), limited);
        // A client of its own for this run: its bucket in Redis is new.
        String forwarded = "2001:db8::" + Long.toHexString(System.nanoTime() & 0xffff) + ":" + Integer.toHexString((int) (Math.random() * 0xffff));
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            codes.add(lookup(i % 2 == 0 ? a : b, "u" + i + "@" + domain, "X-Forwarded-For", forwarded).statusCode());
        }
        // Three a replica: each alone would have admitted all of them.
        assertThat(codes).containsExactly(200, 200, 200, 200, 429, 429);
    }

    @Test
    void aCorruptOrForeignValueUnderAKeyIsIgnoredNotServed() throws Exception {
        E2eRedis.assumeRunning();
        MailSetupServer a = replica(E2eRedis.url(), unlimited());
        String corrupt = "dave@" + domain;
        String foreign = "erin@" + domain;
        try (RedisClient client = RedisClient.create(E2eRedis.url());
             StatefulRedisConnection<String, String> c = client.connect()) {
            String corruptKey = Keys.result(EmailAddress.parse(corrupt), OPTIONS);
            c.sync().psetex(corruptKey, 60_000, "{not json");
            // A well-formed result, but for someone else.
            String other = lookup(replica(E2eRedis.url(), unlimited()), "mallory@" + domain).body();
            c.sync().psetex(Keys.result(EmailAddress.parse(foreign), OPTIONS), 60_000, other);
            int before = discoveries();

            HttpResponse<String> r1 = lookup(a, corrupt);
            HttpResponse<String> r2 = lookup(a, foreign);
            assertThat(r1.statusCode()).isEqualTo(200);
            assertThat(r1.body()).contains("\"email\":\"" + corrupt + "\"");
            assertThat(r2.body()).contains("\"email\":\"" + foreign + "\"").doesNotContain("mallory");
            assertThat(discoveries()).as("both were discovered anew").isEqualTo(before + 2);
            // Counted each time it was read (a miss reads again after taking the lock).
            assertThat(metric(a, "mailsetup_redis_cache_total{result=\"invalid\"}")).isGreaterThanOrEqualTo(2);
            // ... and the bad values replaced by good ones (written after the answer: allow it a moment).
            for (int i = 0; i < 40 && !r1.body().equals(c.sync().get(corruptKey)); i++) {
                Thread.sleep(50);
            }
            assertThat(c.sync().get(corruptKey)).isEqualTo(r1.body());
        }
    }

    @Test
    void killingRedisLeavesBothAnsweringAndRestartingItRestoresSharing(@TempDir Path dir) throws Exception {
        Path binary = E2eRedis.serverBinary();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "redis://127.0.0.1:" + port + "/0";
        Process redis = startRedis(binary, port, dir);
        MailSetupServer a = replica(url, unlimited());
        MailSetupServer b = replica(url, unlimited());
        assertThat(lookup(a, "u1@" + domain).statusCode()).isEqualTo(200);
        assertThat(lookup(b, "u1@" + domain).statusCode()).isEqualTo(200);
        assertThat(discoveries()).isEqualTo(1);

        java.io.PrintStream originalErr = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            outageAndRecovery(redis, binary, port, dir, a, b);
        } finally {
            System.setErr(originalErr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        // Once per replica for the outage and once for its end, however many lookups ran meanwhile.
        assertThat(logged.lines().filter(l -> l.contains("does not answer"))).hasSize(2);
        assertThat(logged.lines().filter(l -> l.contains("answers again"))).hasSize(2);
        // Addresses appear masked only (u***@…), never in full.
        assertThat(logged).contains("u***@" + domain).doesNotContainPattern("u\\d+@");
    }

    private void outageAndRecovery(Process redis, Path binary, int port, Path dir, MailSetupServer a, MailSetupServer b)
            throws Exception {
        redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        for (int i = 2; i <= 5; i++) {
            assertThat(lookup(a, "u" + i + "@" + domain).statusCode()).isEqualTo(200);
            assertThat(lookup(b, "u" + i + "@" + domain).statusCode()).isEqualTo(200);
        }
        // Each replica discovered on its own: no sharing, but no failure and no long waits either.
        assertThat(discoveries()).isEqualTo(1 + 8);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(8_000);
        assertThat(get(a, "/readyz")).contains("\"status\":\"ready\"").contains("\"redis\":\"down\"");
        assertThat(get(b, "/metrics")).contains("mailsetup_redis_up 0.0");

        redis = startRedis(binary, port, dir);
        try {
            // Back within a few seconds (Lettuce reconnects every second): B serves A's lookup again.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            boolean shared = false;
            for (int i = 100; !shared && System.nanoTime() < until; i++) {
                String email = "u" + i + "@" + domain;
                lookup(a, email);
                int after = discoveries();
                lookup(b, email);
                shared = discoveries() == after;
                if (!shared) {
                    Thread.sleep(300);
                }
            }
            assertThat(shared).as("sharing resumed after Redis came back").isTrue();
            assertThat(get(b, "/metrics")).contains("mailsetup_redis_up 1.0");
        } finally {
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Process startRedis(Path binary, int port, Path dir) throws Exception {
        Process p = new ProcessBuilder(binary.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(Files.createTempFile(dir, "redis", ".log").toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!E2eRedis.answers("127.0.0.1", port)) {
            assertThat(p.isAlive()).as("redis-server started").isTrue();
            assertThat(System.nanoTime()).as("redis-server answers within 10 s").isLessThan(until);
            Thread.sleep(50);
        }
        return p;
    }
}
