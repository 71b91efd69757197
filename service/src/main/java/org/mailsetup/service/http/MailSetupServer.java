package org.mailsetup.service.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mailsetup serve}: owns a Vert.x instance (with Micrometer metrics) and the HTTP server. It
 * listens at once and becomes ready when discovery (and with it the provider database) has loaded on
 * a worker thread; {@code /readyz} says which. {@link #close()} shuts down gracefully.
 */
public final class MailSetupServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MailSetupServer.class);

    /** How long a connection may take to deliver a request head, from opening or from the previous answer. */
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** Longest request line and largest header block read (Vert.x's defaults, named for the 414 and 431 answers). */
    static final int MAX_REQUEST_LINE = HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH;
    static final int MAX_HEADER_BYTES = HttpServerOptions.DEFAULT_MAX_HEADER_SIZE;

    private final Vertx vertx;
    private final List<HttpServer> servers;
    private final HttpApi api;
    private final Router router;
    private final ServeSettings settings;
    private final Future<Lookups> lookups;
    private final SharedState shared;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MailSetupServer(Vertx vertx, List<HttpServer> servers, HttpApi api, Router router, ServeSettings settings,
                            Future<Lookups> lookups, SharedState shared) {
        this.shared = shared;
        this.vertx = vertx;
        this.servers = List.copyOf(servers);
        this.api = api;
        this.router = router;
        this.settings = settings;
        this.lookups = lookups;
    }

    /**
     * Starts listening and begins building discovery with {@code discovery} on a worker thread.
     * Blocks until the port is bound (or binding failed).
     */
    public static MailSetupServer start(ServeSettings settings, OwnEntries own, Callable<Lookups> discovery)
            throws Exception {
        return start(settings, own, null, discovery, HEADER_TIMEOUT);
    }

    /**
     * As {@link #start(ServeSettings, OwnEntries, Callable)}, with limits shared with other replicas
     * through {@code shared} (null for none), which the server closes last.
     */
    public static MailSetupServer start(ServeSettings settings, OwnEntries own, SharedState shared,
                                        Callable<Lookups> discovery) throws Exception {
        return start(settings, own, shared, discovery, HEADER_TIMEOUT);
    }

    /** As {@link #start(ServeSettings, OwnEntries, Callable)}, with another header-read timeout (tests). */
    static MailSetupServer start(ServeSettings settings, OwnEntries own, Callable<Lookups> discovery,
                                 Duration headerTimeout) throws Exception {
        return start(settings, own, null, discovery, headerTimeout);
    }

    private static MailSetupServer start(ServeSettings settings, OwnEntries own, SharedState shared,
                                         Callable<Lookups> discovery, Duration headerTimeout) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions()
                .setEnabled(true)
                // Only the HTTP server's meters: per route, method and status code.
                .setDisabledMetricsCategories(Set.of(MetricsDomain.NAMED_POOLS.toCategory(),
                        MetricsDomain.VERTICLES.toCategory(), MetricsDomain.EVENT_BUS.toCategory(),
                        MetricsDomain.NET_SERVER.toCategory(), MetricsDomain.NET_CLIENT.toCategory(),
                        MetricsDomain.HTTP_CLIENT.toCategory(), MetricsDomain.DATAGRAM_SOCKET.toCategory()))
                .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE));
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(metricsOptions))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        try {
            if (shared != null) {
                shared.bindTo(registry);
            }
            HeaderTimeout headerTimeouts = new HeaderTimeout(vertx, headerTimeout);
            HttpApi api = new HttpApi(vertx, settings, new ServiceMetrics(registry), headerTimeouts, shared);
            HttpServerOptions options = new HttpServerOptions()
                    // Between reads of a request body or writes of an answer; request heads are due sooner.
                    .setIdleTimeout(60)
                    .setIdleTimeoutUnit(TimeUnit.SECONDS)
                    .setMaxInitialLineLength(MAX_REQUEST_LINE)
                    .setMaxHeaderSize(MAX_HEADER_BYTES)
                    .setCompressionSupported(false)
                    // HTTP/1.1 only: over a cleartext HTTP/2 upgrade Vert.x would send bodies in answers to HEAD.
                    .setHttp2ClearTextEnabled(false);
            // One server per core, each on its own event loop, sharing the port (Vert.x spreads the
            // connections); a single server would use one event loop, i.e. one core.
            int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
            List<Listener> listeners = new ArrayList<>();
            // Port 0 means "any free port"; Vert.x shares one random port among servers given a negative port.
            int port = settings.port() == 0 ? -1 : settings.port();
            for (int i = 0; i < instances; i++) {
                Listener l = new Listener(api, headerTimeouts, options, settings.bind(), port);
                vertx.deployVerticle(l).toCompletionStage().toCompletableFuture().get();
                listeners.add(l);
            }
            HttpServer server = listeners.get(0).server;
            Router router = listeners.get(0).router;
            Future<Lookups> lookups = vertx.executeBlocking(() -> {
                        Lookups l = discovery.call();
                        // Own entries are served only once their hosts are checked against the network policy.
                        OwnEntries checked = own.checked(l::checkAddresses);
                        checked.refusals().forEach((domain, refused) -> log.warn(
                                "own entry for {}: left out of every document, refused by the network policy: {}",
                                domain, String.join("; ", refused)));
                        api.ready(l, checked);
                        return l;
                    }, false)
                    .onSuccess(l -> log.info("ready: discovery loaded"))
                    .onFailure(e -> log.error("discovery failed to load; lookups answer 503", e));
            log.info("listening on http://{}:{}/ (rate limit: {}{}; CORS origins: {}; trusted proxies: {}; profiles: {})",
                    hostForUrl(settings.bind()), server.actualPort(),
                    settings.rateLimit() == null ? "off" : settings.rateLimit(),
                    shared == null ? "" : "; cache and limits shared through " + shared.describe(),
                    settings.corsOrigins().isEmpty() ? "none" : String.join(" ", settings.corsOrigins()),
                    settings.trustedProxies(),
                    settings.profileSigner() == null ? "unsigned"
                            : "signed as " + settings.profileSigner().certificate().getSubjectX500Principal().getName());
            return new MailSetupServer(vertx, listeners.stream().map(l -> l.server).toList(), api, router, settings,
                    lookups, shared);
        } catch (ExecutionException e) {
            vertx.close();
            throw e.getCause() instanceof Exception ex ? ex : e;
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** One HTTP server on its own event loop, with its own router over the shared API. */
    private static final class Listener extends VerticleBase {
        private final HttpApi api;
        private final HeaderTimeout headerTimeout;
        private final HttpServerOptions options;
        private final String host;
        private final int port;
        volatile HttpServer server;
        volatile Router router;

        Listener(HttpApi api, HeaderTimeout headerTimeout, HttpServerOptions options, String host, int port) {
            this.api = api;
            this.headerTimeout = headerTimeout;
            this.options = options;
            this.host = host;
            this.port = port;
        }

        @Override
        public Future<?> start() {
            router = api.router();
            return vertx.createHttpServer(options)
                    .connectionHandler(headerTimeout::opened)
                    .requestHandler(router)
                    .invalidRequestHandler(api::invalidRequest)
                    .listen(port, host)
                    .onSuccess(s -> server = s);
        }
    }

    private static String hostForUrl(String bind) {
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }

    public int port() {
        return servers.get(0).actualPort();
    }

    /** Completes when lookups can be served. */
    public Future<Lookups> ready() {
        return lookups;
    }

    public boolean isReady() {
        return api.isReady();
    }

    /** The routes, for documentation checks. */
    Router router() {
        return router;
    }

    /**
     * Stops accepting connections, lets requests in flight finish (up to the grace period), then closes
     * discovery and Vert.x. Safe to call more than once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long graceMs = settings.shutdownGrace().toMillis();
        log.info("shutting down: finishing requests in flight (at most {} ms)", graceMs);
        try {
            Future.all(servers.stream().map(s -> s.shutdown(graceMs, TimeUnit.MILLISECONDS)).toList())
                    .toCompletionStage().toCompletableFuture().get(graceMs + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("graceful shutdown did not complete: {}", e.toString());
        }
        if (lookups.succeeded()) {
            lookups.result().close();
        }
        if (shared != null) {
            shared.close();
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Vert.x did not close cleanly: {}", e.toString());
        }
        log.info("stopped");
    }
}
