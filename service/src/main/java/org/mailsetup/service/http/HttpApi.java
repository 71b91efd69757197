package org.mailsetup.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;
import org.mailsetup.InvalidEmailException;
import org.mailsetup.LookupError;
import org.mailsetup.Service;
import org.mailsetup.format.Autodiscover;
import org.mailsetup.format.BestSettings;
import org.mailsetup.format.ClientConfigWriter;
import org.mailsetup.format.ClientConfigs;
import org.mailsetup.format.Mobileconfig;
import org.mailsetup.format.ProfileSigner;
import org.mailsetup.service.ContractJson;
import org.mailsetup.service.DiscoveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: routes, admission (rate limit, in-flight cap, deadline) and rendering. Handlers run on
 * the event loop and never block it: discovery runs on core's threads and its future is brought back
 * onto the request's context; the only blocking work (the metrics scrape) goes to a worker.
 */
final class HttpApi {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = ContractJson.mapper();
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(100);

    /** Added to the JSON when a request asks for verify=true and the server cannot verify. */
    static final String VERIFY_OFF_WARNING = "verification is switched off on this server (--no-verify)";
    // Set on a request's context when that warning is due.
    private static final String WARN_VERIFY_OFF = "mailsetup.warn-verify-off";

    /** The paths the Autodiscover route answers, whatever their case (Outlook varies it). */
    static final String AUTODISCOVER_PATH = "/autodiscover/autodiscover.xml";
    private static final Set<String> LOOKUP_PATHS = Set.of("/v1/lookup", "/v1/mobileconfig", "/mail/config-v1.1.xml",
            "/.well-known/autoconfig/mail/config-v1.1.xml");

    private final Vertx vertx;
    private final ServeSettings settings;
    // The operator's entries, checked against the network policy; set once, just before lookups.
    private volatile OwnEntries own = OwnEntries.none();
    private final ServiceMetrics metrics;
    private final ClientLimiter limiter;
    private final ClientAddresses clients;
    private final HeaderTimeout headerTimeout;
    private volatile Lookups lookups;

    // Per result object: the bytes rendered for it, so a cached lookup is not serialised again. Weak,
    // identity-compared keys: an entry lives no longer than core keeps the result (or the size bound).
    private final Cache<DiscoveryResult, Rendered> rendered = Caffeine.newBuilder()
            .weakKeys().maximumSize(50_000).build();
    // Results for own domains are built here, not by core; keep them so their renderings are reused.
    private final Cache<String, DiscoveryResult> ownResults = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build();

    private final Buffer indexHtml = resource("web/index.html");
    private final Buffer appJs = resource("web/app.js");
    private final Buffer appCss = resource("web/app.css");
    private final Buffer openapi = resource("openapi.yaml");

    /** What has been rendered for one result; fields fill in lazily (a race only renders twice). */
    private static final class Rendered {
        volatile Buffer json;
        volatile Buffer jsonVerifyOff;
        volatile Buffer config;
        volatile Buffer autodiscover;
        volatile Buffer mobileconfig;
        volatile BestSettings best;
    }

    private final SharedState shared;

    /** @param shared what the replicas share, or null for none */
    HttpApi(Vertx vertx, ServeSettings settings, ServiceMetrics metrics, HeaderTimeout headerTimeout,
            SharedState shared) {
        this.vertx = vertx;
        this.headerTimeout = headerTimeout;
        this.settings = settings;
        this.metrics = metrics;
        this.shared = shared;
        this.limiter = new ClientLimiter(settings.rateLimit(), settings.maxLookupsPerClient(),
                shared == null ? null : shared.limits(settings.rateLimit(), settings.maxLookupsPerClient()));
        this.clients = new ClientAddresses(settings.trustedProxies());
    }

    /** Starts answering lookups, and for the operator's own domains from these (checked) entries. */
    void ready(Lookups l, OwnEntries checkedOwn) {
        this.own = checkedOwn;
        this.lookups = l;
    }

    boolean isReady() {
        return lookups != null;
    }

    /** GET and HEAD (monitors and proxies ask with HEAD); for HEAD, Vert.x sends the headers only. */
    private static Route get(Router r, String path) {
        return r.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
    }

    /** The methods a path answers, for the {@code Allow} header of a 405 (RFC 9110 §15.5.6). */
    static String allowedMethods(String path) {
        return AUTODISCOVER_PATH.equalsIgnoreCase(path) ? "POST" : "GET, HEAD";
    }

    Router router() {
        Router r = Router.router(vertx);
        r.route().handler(this::commonHeaders);
        if (!settings.corsOrigins().isEmpty()) {
            r.route().handler(CorsHandler.create()
                    .addOrigins(settings.corsOrigins())
                    .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST))
                    .allowedHeader("Content-Type")
                    .exposedHeader("Retry-After")
                    .maxAgeSeconds(600));
        }
        get(r, "/").handler(ctx -> page(ctx, indexHtml, "text/html; charset=utf-8"));
        get(r, "/app.js").handler(ctx -> page(ctx, appJs, "text/javascript; charset=utf-8"));
        get(r, "/app.css").handler(ctx -> page(ctx, appCss, "text/css; charset=utf-8"));
        get(r, "/openapi.yaml").handler(ctx -> page(ctx, openapi, "application/yaml; charset=utf-8"));
        get(r, "/healthz").handler(this::healthz);
        get(r, "/readyz").handler(this::readyz);
        get(r, "/metrics").handler(this::metrics);
        get(r, "/v1/lookup").handler(this::lookupJson);
        get(r, "/v1/mobileconfig").handler(this::mobileconfig);
        get(r, "/mail/config-v1.1.xml").handler(this::autoconfig);
        get(r, "/.well-known/autoconfig/mail/config-v1.1.xml").handler(this::autoconfig);
        get(r, "/.well-known/user-agent-configuration.json").handler(this::pacc);
        String autodiscover = "(?i)" + AUTODISCOVER_PATH.replace(".", "\\.");
        // A route of its own: Vert.x reads the body before any handler of the route that reads it.
        r.postWithRegex(autodiscover).setName(AUTODISCOVER_PATH).handler(HttpApi::xmlBodiesOnly);
        r.postWithRegex(autodiscover)
                .setName(AUTODISCOVER_PATH)
                // Past the longest lookup a request may ask for, what is late is the client's body.
                .handler(TimeoutHandler.create(settings.maxTimeout().toMillis() + 5_000, 408))
                .handler(BodyHandler.create(false).setBodyLimit(Autodiscover.MAX_REQUEST_BYTES))
                .handler(this::autodiscover);

        // The CORS handler refuses unknown origins with 403.
        r.errorHandler(403, ctx -> Problem.of(403, "origin-not-allowed", "Origin not allowed",
                "This origin may not call the API from a browser; the operator lists allowed ones with --cors-origin.")
                .send(ctx));
        r.errorHandler(404, ctx -> Problem.of(404, "no-such-route", "Not found",
                "There is no resource at this path; see /openapi.yaml.").send(ctx));
        r.errorHandler(405, ctx -> {
            ctx.response().putHeader("Allow", allowedMethods(ctx.request().path()));
            Problem.of(405, "method-not-allowed", "Method not allowed",
                    "This path does not accept " + ctx.request().method() + "; it accepts "
                            + allowedMethods(ctx.request().path()) + ".").send(ctx);
        });
        r.errorHandler(413, ctx -> Problem.of(413, "body-too-large", "Request body too large",
                "The body is larger than " + Autodiscover.MAX_REQUEST_BYTES + " bytes.").send(ctx));
        r.errorHandler(408, ctx -> {
            ctx.response().putHeader("Connection", "close");
            Problem.of(408, "request-timeout", "Request took too long",
                    "The request body did not arrive in time.").send(ctx);
        });
        r.errorHandler(400, this::badRequest);
        // Vert.x's BodyHandler fails with status 200 when the request stream breaks with anything but a
        // DecoderException (an invalid chunk size is a NumberFormatException).
        r.errorHandler(200, HttpApi::brokenRequest);
        r.errorHandler(500, ctx -> {
            if (isBrokenRequest(ctx)) {
                brokenRequest(ctx);
                return;
            }
            // Our own fault: the one case for ERROR and a stack trace. The path only: the query holds addresses.
            log.error("unhandled failure on {}", routeName(ctx), ctx.failure());
            Problem.of(500, "internal-error", "Internal error", "The server failed; the failure is logged.").send(ctx);
        });
        return r;
    }

    /** What Vert.x refuses with a 400 before our handlers run: the client's mistake, one quiet line. */
    private void badRequest(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (req.version() == HttpVersion.HTTP_1_1 && req.headers().get("Host") == null) {
            // RFC 9112 §3.2: an HTTP/1.1 request must name its host.
            log.warn("invalid request: HTTP/1.1 without Host");
            invalidRequest(req, 400, "An HTTP/1.1 request must carry a Host header.");
            return;
        }
        String query = req.query();
        if (reason(ctx.failure()).equals("IllegalArgumentException") && query != null && LOOKUP_PATHS.contains(req.path())) {
            // A malformed percent escape: Vert.x's decoder refuses the whole query.
            String address = rawParameter(query, "email");
            log.warn("invalid request on {}: malformed query (address {})", req.path(),
                    Masking.mask(address != null ? address : rawParameter(query, "emailaddress")));
            refuse(ctx, Problem.of(400, "invalid-request", "Invalid request",
                    "The query string is not validly percent-encoded (RFC 3986)."));
            return;
        }
        log.warn("invalid request on {}: {}", routeName(ctx), reason(ctx.failure()));
        invalidRequest(req, 400, "The request could not be read.");
    }

    /** The request's framing broke while a handler read it: not our fault, so no stack trace. */
    private static void brokenRequest(RoutingContext ctx) {
        log.warn("invalid request on {}: {}", routeName(ctx), reason(ctx.failure()));
        invalidRequest(ctx.request(), 400, "The request body could not be read.");
    }

    /**
     * Requests the HTTP decoder could not read (bad request line, header too large, garbage such as a TLS
     * ClientHello on the plain port): a problem body and close, since the rest of the stream cannot be
     * trusted. The default handler answered with an empty body, or not at all.
     */
    void invalidRequest(HttpServerRequest req) {
        Throwable cause = req.decoderResult().cause();
        int status = cause instanceof TooLongHttpLineException ? 414
                : cause instanceof TooLongHttpHeaderException ? 431 : 400;
        log.warn("invalid request (HTTP {}): {}", status, reason(cause));
        invalidRequest(req, status, switch (status) {
            case 414 -> "The request line is longer than " + MailSetupServer.MAX_REQUEST_LINE + " bytes.";
            case 431 -> "The request headers are larger than " + MailSetupServer.MAX_HEADER_BYTES + " bytes.";
            default -> "The request is not valid HTTP/1.1.";
        });
    }

    private static void invalidRequest(HttpServerRequest req, int status, String detail) {
        HttpServerResponse res = req.response();
        if (res.ended() || res.closed()) {
            req.connection().close();
            return;
        }
        res.putHeader("Connection", "close");
        Problem.of(status, status == 400 ? "invalid-request" : status == 414 ? "uri-too-long" : "headers-too-large",
                status == 400 ? "Invalid request" : status == 414 ? "Request line too long" : "Request headers too large",
                detail).send(res).onComplete(ar -> req.connection().close());
    }

    // Failures of the request stream itself, as Vert.x reports them to the handler reading the body.
    private static boolean isBrokenRequest(RoutingContext ctx) {
        Throwable t = ctx.failure();
        return t instanceof DecoderException || t instanceof NumberFormatException
                || t instanceof TooLongFrameException || ctx.request().decoderResult().isFailure();
    }

    /** A log line's account of a failure: its kind, never its message (which may quote the request). */
    private static String reason(Throwable t) {
        if (t == null) {
            return "not valid HTTP";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    // The route's own path, not the request's: a path may carry anything, an address included.
    private static String routeName(RoutingContext ctx) {
        Route route = ctx.currentRoute();
        if (route == null) {
            return "no route";
        }
        return route.getName() != null ? route.getName() : route.getPath() != null ? route.getPath() : "a route";
    }

    // ------------------------------------------------------------------ plain resources

    private void commonHeaders(RoutingContext ctx) {
        ctx.response().headers()
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer");
        HttpServerRequest req = ctx.request();
        headerTimeout.requestStarted(req.connection());
        ctx.addEndHandler(ar -> headerTimeout.requestEnded(req.connection()));
        ctx.next();
    }

    /**
     * Autodiscover reads XML only. Outlook posts {@code text/xml}, other clients {@code application/xml}
     * or no type at all; those are read as XML. A form or multipart body is not a request some client
     * might mean as XML: it gets a 415 before any body is read, so the body is never parsed or quoted.
     */
    private static void xmlBodiesOnly(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (mediaType.isEmpty() || mediaType.equals("text/xml") || mediaType.equals("application/xml")
                || mediaType.endsWith("+xml")) {
            ctx.next();
            return;
        }
        log.info("autodiscover request refused: content type is not XML");
        ctx.response().putHeader("Accept-Post", "text/xml, application/xml");
        Problem.of(415, "unsupported-media-type", "Unsupported media type",
                "Autodiscover requests are XML: send them as text/xml or application/xml.").send(ctx);
    }

    private static void page(RoutingContext ctx, Buffer body, String type) {
        HttpServerResponse res = ctx.response();
        res.putHeader("Content-Type", type).putHeader("Cache-Control", "public, max-age=300");
        if (type.startsWith("text/html")) {
            // The page loads only its own script and style and talks only to this origin.
            res.putHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                    + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
            res.putHeader("X-Frame-Options", "DENY");
        }
        res.end(body);
    }

    private void healthz(RoutingContext ctx) {
        json(ctx, 200, "{\"status\":\"ok\"}");
    }

    private void readyz(RoutingContext ctx) {
        if (isReady()) {
            // Ready whether or not the shared store answers: without it a replica still answers, alone.
            json(ctx, 200, "{\"status\":\"ready\",\"ownDomains\":" + own.domainCount()
                    + (shared == null ? "" : ",\"redis\":\"" + (shared.up() ? "up" : "down") + "\"") + "}");
        } else {
            ctx.response().putHeader("Retry-After", "1");
            json(ctx, 503, "{\"status\":\"starting\"}");
        }
    }

    private void metrics(RoutingContext ctx) {
        // A scrape walks every meter; keep it off the event loop.
        vertx.executeBlocking(() -> metrics.registry().scrape()).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .putHeader("Cache-Control", "no-store").end(ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    private void pacc(RoutingContext ctx) {
        HostAndPort authority = ctx.request().authority();
        String host = authority == null ? "" : authority.host().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (!isReady()) {
            notReady(ctx);
            return;
        }
        String prefix = "ua-auto-config.";
        String domain = host.startsWith(prefix) ? host.substring(prefix.length()) : null;
        byte[] doc = domain == null ? null : own.pacc(domain).orElse(null);
        if (doc == null) {
            String problem = domain == null ? null : own.paccProblem(domain);
            if (problem != null) {
                Problem.of(404, "no-usable-settings", "No usable settings",
                        "No PACC document for " + domain + ": " + problem + ".").send(ctx);
                return;
            }
            Problem.of(404, "not-found", "No PACC document",
                    "This server publishes PACC documents only for its own domains, requested as ua-auto-config.<domain>.")
                    .send(ctx);
            return;
        }
        ctx.response().putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "public, max-age=300")
                .end(Buffer.buffer(doc));
    }

    // ------------------------------------------------------------------ lookups

    private void lookupJson(RoutingContext ctx) {
        withResult(ctx, "email", true, (result, r) -> {
            Buffer body;
            if (ctx.get(WARN_VERIFY_OFF) != null) {
                // The result as found, plus a word on why nothing in it is verified.
                body = r.jsonVerifyOff;
                if (body == null) {
                    body = r.jsonVerifyOff = Buffer.buffer(jsonBytes(withWarning(result, VERIFY_OFF_WARNING)));
                }
            } else {
                body = r.json;
                if (body == null) {
                    body = r.json = Buffer.buffer(jsonBytes(result));
                }
            }
            ctx.response().putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store").end(body);
        });
    }

    private void autoconfig(RoutingContext ctx) {
        withResult(ctx, "emailaddress", false, (result, r) -> {
            if (failedLookup(ctx, result)) {
                return;
            }
            // For an own domain the operator's entry is served as written (placeholders, OAuth2, notes),
            // less the servers the network policy refused.
            boolean ownDomain = own.entry(result.domain()).isPresent();
            String ownProblem = ownDomain ? own.autoconfigProblem(result.domain()) : null;
            if (ownProblem != null) {
                noUsableSettings(ctx, ownProblem);
                return;
            }
            if (!ownDomain && incomplete(ctx, r)) {
                return;
            }
            Buffer body = r.config;
            if (body == null) {
                byte[] bytes = ownDomain ? own.autoconfig(result.domain()).orElseThrow()
                        : ClientConfigWriter.write(ClientConfigs.fromResult(result, r.best));
                body = r.config = Buffer.buffer(bytes);
            }
            ctx.response().putHeader("Content-Type", "application/xml; charset=utf-8")
                    .putHeader("Cache-Control", "no-store").end(body);
        });
    }

    private void mobileconfig(RoutingContext ctx) {
        withResult(ctx, "email", false, (result, r) -> {
            if (failedLookup(ctx, result)) {
                return;
            }
            if (incomplete(ctx, r)) {
                return;
            }
            Buffer body = r.mobileconfig;
            if (body == null) {
                byte[] profile = Mobileconfig.profile(result, r.best);
                ProfileSigner signer = settings.profileSigner();
                body = r.mobileconfig = Buffer.buffer(signer == null ? profile : signer.sign(profile));
            }
            ctx.response().putHeader("Content-Type", Mobileconfig.CONTENT_TYPE)
                    .putHeader("Content-Disposition", "attachment; filename=\"" + result.domain() + ".mobileconfig\"")
                    .putHeader("Cache-Control", "no-store").end(body);
        });
    }

    private void autodiscover(RoutingContext ctx) {
        // Credentials are neither needed nor wanted: an Authorization header is ignored, never checked.
        Autodiscover.Request req;
        try {
            req = Autodiscover.parseRequest(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (Autodiscover.InvalidRequestException e) {
            xml(ctx, 400, Autodiscover.errorResponse(Autodiscover.ERROR_INVALID_REQUEST, e.getMessage()));
            return;
        }
        if (req.acceptableResponseSchema() != null && !req.acceptableResponseSchema().isEmpty()
                && !Autodiscover.OUTLOOK_NS.equals(req.acceptableResponseSchema())) {
            // As Exchange does: HTTP 200 carrying error 601 for a schema this server does not speak.
            xml(ctx, 200, Autodiscover.errorResponse(Autodiscover.ERROR_SCHEMA_NOT_AVAILABLE,
                    "only " + Autodiscover.OUTLOOK_NS + " is available"));
            return;
        }
        EmailAddress email;
        try {
            email = EmailAddress.parse(req.emailAddress());
        } catch (InvalidEmailException e) {
            xml(ctx, 400, Autodiscover.errorResponse(Autodiscover.ERROR_INVALID_REQUEST, "invalid address: " + e.getMessage()));
            return;
        }
        run(ctx, email, true, settings.defaultTimeout(), Set.of(Service.MAIL), (result, r) -> {
            if (result.error() != null) {
                xml(ctx, 404, Autodiscover.errorResponse(Autodiscover.ERROR_INVALID_REQUEST, result.error().message()));
                return;
            }
            if (!r.best.isComplete()) {
                xml(ctx, 404, Autodiscover.errorResponse(Autodiscover.ERROR_NO_CONFIGURATION,
                        r.best.missing().orElseThrow()));
                return;
            }
            Buffer body = r.autodiscover;
            if (body == null) {
                body = r.autodiscover = Buffer.buffer(Autodiscover.settingsResponse(r.best));
            }
            ctx.response().putHeader("Content-Type", "text/xml; charset=utf-8")
                    .putHeader("Cache-Control", "no-store").end(body);
        });
    }

    private static void xml(RoutingContext ctx, int status, byte[] body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/xml; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(Buffer.buffer(body));
    }

    private static boolean failedLookup(RoutingContext ctx, DiscoveryResult result) {
        LookupError e = result.error();
        if (e == null) {
            return false;
        }
        int status = switch (e.code()) {
            case TIMEOUT -> 504;
            case DNS_FAILURE -> 502;
            default -> 404;
        };
        Problem.of(status, e.code().id(), title(e.code()), e.message()).withUrl(e.url()).send(ctx);
        return true;
    }

    /**
     * A client rejects a document without an incoming or an outgoing server, so none is served: a 404
     * saying which direction is missing and why.
     */
    private static boolean incomplete(RoutingContext ctx, Rendered r) {
        if (r.best.isComplete()) {
            return false;
        }
        noUsableSettings(ctx, r.best.missing().orElseThrow());
        return true;
    }

    private static void noUsableSettings(RoutingContext ctx, String why) {
        Problem.of(404, "no-usable-settings", "No usable settings",
                "A mail client needs an incoming and an outgoing server it may use (encrypted; verified, or "
                        + "trusted when nothing was verified): " + why + ". GET /v1/lookup shows what was found.")
                .send(ctx);
    }

    private static String title(LookupError.Code code) {
        return switch (code) {
            case INVALID_EMAIL -> "Invalid email address";
            case DOMAIN_NOT_FOUND -> "Domain not found";
            case NO_MAIL_SERVICE -> "Domain receives no mail";
            case NO_CLIENT_ACCESS -> "Provider offers no mail-client access";
            case NOT_FOUND -> "No settings found";
            case TIMEOUT -> "Lookup timed out";
            case DNS_FAILURE -> "DNS resolver could not answer";
        };
    }

    @FunctionalInterface
    private interface ResultHandler {
        void handle(DiscoveryResult result, Rendered rendered);
    }

    /** Validates the query, admits the client, runs the lookup under a deadline and hands over the result. */
    private void withResult(RoutingContext ctx, String param, boolean options, ResultHandler then) {
        var query = ctx.queryParams();
        String raw = query.get(param);
        if (raw == null || raw.isBlank()) {
            refuse(ctx, Problem.of(400, "missing-parameter", "Missing parameter", "Give the address as ?" + param + "=…"));
            return;
        }
        boolean verify = true;
        Duration timeout = settings.defaultTimeout();
        if (options) {
            String v = query.get("verify");
            if (v != null) {
                switch (v.toLowerCase(Locale.ROOT)) {
                    case "true", "1", "yes", "" -> {
                        verify = true;
                        Lookups l = lookups;
                        if (l != null && !l.verifies()) {
                            // Asked for explicitly: say it was not done, rather than answer unverified in silence.
                            ctx.put(WARN_VERIFY_OFF, Boolean.TRUE);
                        }
                    }
                    case "false", "0", "no" -> verify = false;
                    default -> {
                        refuse(ctx, Problem.of(400, "invalid-parameter", "Invalid parameter",
                                "verify must be true or false"));
                        return;
                    }
                }
            }
            String t = query.get("timeout");
            if (t != null) {
                try {
                    timeout = clamp(DiscoveryOptions.parseDuration(t));
                } catch (IllegalArgumentException e) {
                    refuse(ctx, Problem.of(400, "invalid-parameter", "Invalid parameter", e.getMessage()));
                    return;
                }
            }
        }
        Set<Service> services;
        try {
            services = services(query.getAll("services"));
        } catch (IllegalArgumentException e) {
            refuse(ctx, Problem.of(400, "invalid-parameter", "Invalid parameter", e.getMessage()));
            return;
        }
        EmailAddress email;
        try {
            email = EmailAddress.parse(raw);
        } catch (InvalidEmailException e) {
            refuse(ctx, Problem.of(400, "invalid-email", "Invalid email address", e.getMessage()));
            return;
        }
        run(ctx, email, verify, timeout, services, then);
    }

    /**
     * The services a request asks for: {@code ?services=mail,contacts,calendars,jmap} (comma-separated,
     * repeatable, any case); mail is always among them, and only mail when the parameter is absent.
     */
    static Set<Service> services(List<String> values) {
        Set<Service> out = EnumSet.of(Service.MAIL);
        for (String value : values) {
            if (value.isBlank()) {
                throw new IllegalArgumentException("services must name one or more of mail, contacts, calendars, jmap");
            }
            for (String id : value.split(",", -1)) {
                out.add(Service.fromId(id)); // says which word is unknown and which are known
            }
        }
        return Set.copyOf(out);
    }

    /** Bad input to a lookup: counted by the limits like a lookup (garbage is no way around them), then refused. */
    private void refuse(RoutingContext ctx, Problem problem) {
        admit(ctx, d -> {
            if (d instanceof ClientLimiter.Refused refused) {
                tooMany(ctx, refused);
                return;
            }
            ((ClientLimiter.Permit) d).release();
            problem.send(ctx);
        });
    }

    /** Asks the limits about this request's client; the decision is handled on the request's context. */
    private void admit(RoutingContext ctx, Consumer<ClientLimiter.Decision> then) {
        // Resolving the client may parse forwarding headers; not needed when nothing is limited per client.
        CompletableFuture<ClientLimiter.Decision> admitted =
                limiter.admit(limiter.enabled() ? clients.of(ctx.request()) : "");
        if (admitted.isDone()) {
            then.accept(admitted.join());
        } else {
            Future.fromCompletionStage(admitted, vertx.getOrCreateContext()).onSuccess(then::accept).onFailure(ctx::fail);
        }
    }

    private void tooMany(RoutingContext ctx, ClientLimiter.Refused refused) {
        metrics.refused(refused.kind());
        ctx.response().putHeader("Retry-After", Long.toString(refused.retryAfterSeconds()));
        Problem.of(429, "rate-limited", "Too many lookups", refused.reason()
                + "; retry after " + refused.retryAfterSeconds() + " s.").send(ctx);
    }

    /** The raw value of {@code name} in a query Vert.x could not decode, its valid escapes decoded, for masking. */
    static String rawParameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                String v = pair.substring(name.length() + 1).replace('+', ' ');
                StringBuilder b = new StringBuilder(v.length());
                for (int i = 0; i < v.length(); i++) {
                    char c = v.charAt(i);
                    int hi = c == '%' && i + 2 < v.length() ? Character.digit(v.charAt(i + 1), 16) : -1;
                    int lo = hi < 0 ? -1 : Character.digit(v.charAt(i + 2), 16);
                    if (lo >= 0 && hi * 16 + lo < 0x80) {
                        b.append((char) (hi * 16 + lo));
                        i += 2;
                    } else {
                        b.append(c);
                    }
                }
                return b.toString();
            }
        }
        return null;
    }

    private void run(RoutingContext ctx, EmailAddress email, boolean verify, Duration timeout, Set<Service> services,
                     ResultHandler then) {
        Lookups l = lookups;
        if (l == null) {
            notReady(ctx);
            return;
        }
        admit(ctx, d -> admitted(ctx, l, email, verify, timeout, services, then, d));
    }

    private void admitted(RoutingContext ctx, Lookups l, EmailAddress email, boolean verify, Duration timeout,
                          Set<Service> services, ResultHandler then, ClientLimiter.Decision d) {
        if (d instanceof ClientLimiter.Refused refused) {
            tooMany(ctx, refused);
            return;
        }
        ClientLimiter.Permit permit = (ClientLimiter.Permit) d;
        long start = System.nanoTime();
        String servicesKey = services.stream().map(Service::id).sorted().collect(Collectors.joining(","));
        DiscoveryResult ownResult = own.isEmpty() || own.entry(email.domain()).isEmpty() ? null
                : ownResults.get(email.address() + " " + servicesKey, k -> own.resultFor(email, services).orElseThrow());
        CompletableFuture<DiscoveryResult> cf = ownResult != null ? CompletableFuture.completedFuture(ownResult)
                : l.lookup(email, verify, services);
        Future<DiscoveryResult> f = cf.isDone() ? Future.fromCompletionStage(cf)
                : Future.fromCompletionStage(cf, vertx.getOrCreateContext()).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        f.onComplete(ar -> {
            permit.release();
            if (ar.failed()) {
                if (ar.cause() instanceof TimeoutException) {
                    log.info("lookup {} passed its deadline of {} ms", Masking.mask(email.address()), timeout.toMillis());
                    Problem.of(504, "timeout", "Lookup timed out", "No answer within " + timeout.toMillis()
                            + " ms; the lookup goes on, so a retry may be answered from the cache.").send(ctx);
                } else {
                    ctx.fail(ar.cause());
                }
                return;
            }
            DiscoveryResult result = ar.result();
            boolean[] fresh = {false};
            Rendered r = rendered.get(result, k -> {
                fresh[0] = true;
                return new Rendered();
            });
            if (ownResult == null) {
                metrics.delivered(result, fresh[0]);
            }
            if (r.best == null) {
                r.best = BestSettings.of(result);
            }
            if (log.isDebugEnabled()) {
                log.debug("lookup {} → {} in {} ms{}", Masking.mask(email.address()),
                        result.error() == null ? "found" : result.error().code().id(),
                        (System.nanoTime() - start) / 1_000_000, fresh[0] ? "" : " (cached)");
            }
            then.handle(result, r);
        });
    }

    private static void notReady(RoutingContext ctx) {
        ctx.response().putHeader("Retry-After", "1");
        Problem.of(503, "not-ready", "Starting", "The provider database is still loading; retry shortly.").send(ctx);
    }

    private Duration clamp(Duration d) {
        if (d.compareTo(MIN_TIMEOUT) < 0) {
            return MIN_TIMEOUT;
        }
        return d.compareTo(settings.maxTimeout()) > 0 ? settings.maxTimeout() : d;
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] jsonBytes(DiscoveryResult r) {
        try {
            return JSON.writeValueAsBytes(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON writer failed", e);
        }
    }

    private static DiscoveryResult withWarning(DiscoveryResult r, String warning) {
        List<String> warnings = new ArrayList<>(r.warnings());
        warnings.add(warning);
        return new DiscoveryResult(r.email(), r.domain(), r.provider(), r.incoming(), r.outgoing(), r.contacts(),
                r.calendars(), r.jmap(), r.sources(), warnings, r.elapsedMs(), r.error());
    }

    private static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body);
    }

    private static Buffer resource(String name) {
        try (InputStream in = HttpApi.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
