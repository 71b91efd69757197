package org.mailsetup.service;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.mailsetup.Cidr;
import org.mailsetup.format.ProfileSigner;
import org.mailsetup.service.http.MailSetupLookups;
import org.mailsetup.service.http.MailSetupServer;
import org.mailsetup.service.http.OwnEntries;
import org.mailsetup.service.http.RateLimit;
import org.mailsetup.service.http.ServeSettings;
import org.mailsetup.service.http.TrustedProxies;
import org.mailsetup.service.redis.Redis;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mailsetup serve}: the HTTP API, the client formats and the onboarding page. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve lookups over HTTP: JSON API, Thunderbird autoconfig, Outlook Autodiscover, "
                + "Apple profiles, PACC for own domains, and an onboarding page at /.",
                "Every option can also be set by the environment variable named in its description."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"1:could not start", "2:invalid command line",
                "143:stopped by SIGTERM after a graceful shutdown (130 for SIGINT)"})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DiscoveryOptions discovery;

    @Option(names = "--port", defaultValue = "${env:MAILSETUP_PORT:-8080}",
            description = "TCP port (env MAILSETUP_PORT; default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "${env:MAILSETUP_BIND:-127.0.0.1}",
            description = "Address to listen on (env MAILSETUP_BIND; default ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String bind;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN", split = ",", defaultValue = "${env:MAILSETUP_CORS_ORIGINS}",
            description = "Allow browser pages from this origin (e.g. https://signup.example.org) to call the API; "
                    + "repeatable (env MAILSETUP_CORS_ORIGINS, comma-separated; default: none).")
    List<String> corsOrigins = new ArrayList<>();

    @Option(names = "--rate-limit", paramLabel = "N/PERIOD", defaultValue = "${env:MAILSETUP_RATE_LIMIT:-60/min}",
            description = "Lookups per client IP: N/s, N/min or N/h (env MAILSETUP_RATE_LIMIT; default ${DEFAULT-VALUE}).")
    String rateLimit;

    @Option(names = "--rate-burst", paramLabel = "N", defaultValue = "${env:MAILSETUP_RATE_BURST:-20}",
            description = "Lookups a client may make at once before the rate applies (env MAILSETUP_RATE_BURST; default ${DEFAULT-VALUE}).")
    int rateBurst;

    @Option(names = "--max-lookups-per-client", paramLabel = "N",
            defaultValue = "${env:MAILSETUP_MAX_LOOKUPS_PER_CLIENT:-8}",
            description = "Lookups one client IP may have in flight (env MAILSETUP_MAX_LOOKUPS_PER_CLIENT; default ${DEFAULT-VALUE}).")
    int maxPerClient;

    @Option(names = "--no-rate-limit", defaultValue = "${env:MAILSETUP_NO_RATE_LIMIT:-false}",
            description = "Switch the rate limit and the in-flight cap off, e.g. for benchmarks (env MAILSETUP_NO_RATE_LIMIT=true).")
    boolean noRateLimit;

    @Option(names = "--trusted-proxy", paramLabel = "CIDR", split = ",", defaultValue = "${env:MAILSETUP_TRUSTED_PROXIES}",
            description = "A reverse proxy (or a network of them, e.g. 10.0.0.0/8) that names the client in "
                    + "--trusted-proxy-header: requests from it are limited per client named there, not per proxy. "
                    + "Repeatable (env MAILSETUP_TRUSTED_PROXIES, comma-separated; default: none).")
    List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--trusted-proxy-header", paramLabel = "HEADER",
            defaultValue = "${env:MAILSETUP_TRUSTED_PROXY_HEADER:-X-Forwarded-For}",
            description = "The one header the trusted proxies write the client in: X-Forwarded-For or Forwarded; the "
                    + "other is ignored (env MAILSETUP_TRUSTED_PROXY_HEADER; default ${DEFAULT-VALUE}).")
    String trustedProxyHeader;

    @Option(names = "--max-timeout", paramLabel = "DURATION", defaultValue = "${env:MAILSETUP_MAX_TIMEOUT:-15s}",
            description = "The longest deadline a request may ask for with timeout= (env MAILSETUP_MAX_TIMEOUT; default ${DEFAULT-VALUE}).")
    String maxTimeout;

    @Option(names = "--own-entries", paramLabel = "DIR", defaultValue = "${env:MAILSETUP_OWN_ENTRIES}",
            description = "Serve these domains authoritatively from config-v1.1 files (provider-database format), "
                    + "including their PACC document (env MAILSETUP_OWN_ENTRIES).")
    Path ownEntries;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "${env:MAILSETUP_SHUTDOWN_GRACE:-10s}",
            description = "How long requests in flight may take to finish on SIGTERM (env MAILSETUP_SHUTDOWN_GRACE; default ${DEFAULT-VALUE}).")
    String shutdownGrace;

    @Option(names = "--profile-signing-cert", paramLabel = "PEM", defaultValue = "${env:MAILSETUP_PROFILE_SIGNING_CERT}",
            description = "Sign Apple configuration profiles with this certificate (PEM, with its intermediates); "
                    + "needs --profile-signing-key (env MAILSETUP_PROFILE_SIGNING_CERT; default: unsigned).")
    Path profileSigningCert;

    @Option(names = "--profile-signing-key", paramLabel = "PEM", defaultValue = "${env:MAILSETUP_PROFILE_SIGNING_KEY}",
            description = "The unencrypted private key (PEM) of --profile-signing-cert (env MAILSETUP_PROFILE_SIGNING_KEY).")
    Path profileSigningKey;

    @Option(names = "--redis", paramLabel = "URL", defaultValue = "${env:MAILSETUP_REDIS_URL}",
            description = "Share the result cache and the per-client limits with other replicas through this Redis "
                    + "(or Valkey): redis://host:6379/0, rediss:// for TLS; the password in the URL or in env "
                    + "MAILSETUP_REDIS_PASSWORD (env MAILSETUP_REDIS_URL; default: none, everything in-process).")
    String redisUrl;

    @Option(names = "--redis-timeout", paramLabel = "DURATION", defaultValue = "${env:MAILSETUP_REDIS_TIMEOUT:-250ms}",
            description = "Longest wait for one Redis call before this replica decides on its own "
                    + "(env MAILSETUP_REDIS_TIMEOUT; default ${DEFAULT-VALUE}).")
    String redisTimeout;

    @Override
    public Integer call() throws Exception {
        ServeSettings settings = settings();
        OwnEntries own = ownEntries == null ? OwnEntries.none() : OwnEntries.load(ownEntries);
        Redis redis = redis();
        // Building discovery loads the provider database; the server is up (not ready) meanwhile.
        MailSetupServer server;
        try {
            server = MailSetupServer.start(settings, own, redis, () -> MailSetupLookups.build(discovery.toBuilder(),
                    !discovery.noVerify, redis == null ? null : redis.resultCache()));
        } catch (Exception e) {
            if (redis != null) {
                redis.close();
            }
            spec.commandLine().getErr().println("mailsetup serve: could not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "mailsetup-shutdown"));
        stopped.await();
        return 0;
    }

    ServeSettings settings() {
        try {
            // Leave the discovery deadline a little room, so its own timeout answer arrives before ours.
            Duration dflt = DiscoveryOptions.parseDuration(discovery.timeout).plusSeconds(1);
            Duration max = DiscoveryOptions.parseDuration(maxTimeout);
            RateLimit limit = noRateLimit ? null : RateLimit.parse(rateLimit, rateBurst);
            TrustedProxies proxies = new TrustedProxies(
                    trustedProxies.stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList(),
                    TrustedProxies.Header.of(trustedProxyHeader));
            return new ServeSettings(bind, port, corsOrigins.stream().filter(s -> !s.isBlank()).map(String::strip).toList(),
                    limit, noRateLimit ? 0 : maxPerClient, dflt, max, DiscoveryOptions.parseDuration(shutdownGrace),
                    proxies, profileSigner());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    Redis redis() {
        if (redisUrl == null || redisUrl.isBlank()) {
            return null;
        }
        try {
            Duration timeout = DiscoveryOptions.parseDuration(redisTimeout);
            if (timeout.compareTo(DiscoveryOptions.parseDuration(discovery.timeout).dividedBy(4)) > 0) {
                throw new IllegalArgumentException("--redis-timeout must stay well inside the lookup deadline "
                        + "(at most a quarter of --timeout)");
            }
            return Redis.connect(redisUrl.strip(), System.getenv("MAILSETUP_REDIS_PASSWORD"), timeout);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private ProfileSigner profileSigner() {
        if (profileSigningCert == null && profileSigningKey == null) {
            return null;
        }
        if (profileSigningCert == null || profileSigningKey == null) {
            throw new IllegalArgumentException("--profile-signing-cert and --profile-signing-key go together");
        }
        try {
            return ProfileSigner.fromPem(profileSigningCert, profileSigningKey);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("profile signing: " + e.getMessage(), e);
        }
    }
}
