package org.mailsetup.service.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.mailsetup.EmailAddress;
import org.mailsetup.LookupOptions;
import org.mailsetup.Service;

/**
 * The Redis keys of the service. Every key starts with a versioned prefix: when the stored shape
 * changes, the version does, and replicas of different versions never read each other's values. What
 * identifies a person (an address, a client's IP) appears only as a SHA-256 hash.
 */
final class Keys {

    /** Bump when the JSON contract or the limiter's state changes shape. */
    static final String PREFIX = "mailsetup:v1:";

    private Keys() {
    }

    /** The result of a lookup with these options (as core's cache, which keys on them too). */
    static String result(EmailAddress address, LookupOptions options) {
        return PREFIX + "result:" + variant(options) + hash(address.address());
    }

    /** Held while one replica discovers that address, so the others wait for its result. */
    static String lock(EmailAddress address, LookupOptions options) {
        return PREFIX + "lock:" + variant(options) + hash(address.address());
    }

    private static String variant(LookupOptions options) {
        // Mail-only lookups keep the key they always had; others name their services.
        String services = options.services().stream().filter(s -> s != Service.MAIL).map(Service::id).sorted()
                .collect(java.util.stream.Collectors.joining(","));
        return (options.verify() ? "verified:" : "unverified:") + options.timeout().toMillis() + ":"
                + (services.isEmpty() ? "" : services + ":");
    }

    static String rate(String client) {
        return PREFIX + "rate:" + hash(client);
    }

    static String inFlight(String client) {
        return PREFIX + "inflight:" + hash(client);
    }

    static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
