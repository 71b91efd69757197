package org.mailsetup.service.http;

import java.time.Duration;
import java.util.List;
import org.mailsetup.format.ProfileSigner;

/**
 * How {@code mailsetup serve} runs.
 *
 * @param rateLimit                lookups per client IP, or null for no token bucket
 * @param maxLookupsPerClient      lookups one client IP may have in flight, 0 for no cap
 * @param defaultTimeout           the response deadline of a lookup when the request names none
 * @param maxTimeout               the longest deadline a request may ask for ({@code timeout=})
 * @param shutdownGrace            how long in-flight requests may take to finish on shutdown
 * @param trustedProxies           reverse proxies, and the header in which they name the client
 * @param profileSigner            signs Apple configuration profiles, or null to serve them unsigned
 */
public record ServeSettings(
        String bind,
        int port,
        List<String> corsOrigins,
        RateLimit rateLimit,
        int maxLookupsPerClient,
        Duration defaultTimeout,
        Duration maxTimeout,
        Duration shutdownGrace,
        TrustedProxies trustedProxies,
        ProfileSigner profileSigner) {

    public ServeSettings {
        corsOrigins = List.copyOf(corsOrigins);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        if (maxTimeout.compareTo(defaultTimeout) < 0) {
            maxTimeout = defaultTimeout;
        }
    }

    /**
     * Defaults for tests and embedding: loopback, an ephemeral port, no CORS, rate limit 60/min burst 20,
     * no trusted proxies, unsigned profiles.
     */
    public static ServeSettings defaults() {
        return new ServeSettings("127.0.0.1", 0, List.of(), new RateLimit(60, Duration.ofMinutes(1), 20), 8,
                Duration.ofSeconds(6), Duration.ofSeconds(15), Duration.ofSeconds(10), TrustedProxies.none(), null);
    }

    public ServeSettings withPort(int p) {
        return new ServeSettings(bind, p, corsOrigins, rateLimit, maxLookupsPerClient, defaultTimeout, maxTimeout,
                shutdownGrace, trustedProxies, profileSigner);
    }

    public ServeSettings withRateLimit(RateLimit r, int maxPerClient) {
        return new ServeSettings(bind, port, corsOrigins, r, maxPerClient, defaultTimeout, maxTimeout, shutdownGrace,
                trustedProxies, profileSigner);
    }

    public ServeSettings withCorsOrigins(List<String> origins) {
        return new ServeSettings(bind, port, origins, rateLimit, maxLookupsPerClient, defaultTimeout, maxTimeout,
                shutdownGrace, trustedProxies, profileSigner);
    }

    public ServeSettings withTimeouts(Duration dflt, Duration max) {
        return new ServeSettings(bind, port, corsOrigins, rateLimit, maxLookupsPerClient, dflt, max, shutdownGrace,
                trustedProxies, profileSigner);
    }

    public ServeSettings withTrustedProxies(TrustedProxies proxies) {
        return new ServeSettings(bind, port, corsOrigins, rateLimit, maxLookupsPerClient, defaultTimeout, maxTimeout,
                shutdownGrace, proxies, profileSigner);
    }

    public ServeSettings withProfileSigner(ProfileSigner signer) {
        return new ServeSettings(bind, port, corsOrigins, rateLimit, maxLookupsPerClient, defaultTimeout, maxTimeout,
                shutdownGrace, trustedProxies, signer);
    }
}
