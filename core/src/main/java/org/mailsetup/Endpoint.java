package org.mailsetup;

import com.google.common.net.InetAddresses;
import java.util.Locale;
import java.util.Objects;
import org.mailsetup.config.HostNames;

/**
 * One mail server endpoint: what a client connects to, and how. The constructor normalises the host (lower
 * case, no trailing dot, an IPv6 literal without its brackets) and refuses a host that is neither a valid
 * host name ({@link HostNames#isValid}, A-labels for IDN) nor an IP address, and a port outside 1–65535, so
 * an invalid endpoint cannot exist.
 */
public record Endpoint(Protocol protocol, String host, int port, Security security) {

    public Endpoint {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(security, "security");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port " + port);
        }
        host = normalize(host);
        if (!HostNames.isValid(host) && !InetAddresses.isInetAddress(host)) {
            throw new IllegalArgumentException(host.isEmpty() ? "no host name" : "invalid host name '" + host + "'");
        }
    }

    private static String normalize(String host) {
        String h = host == null ? "" : HostNames.normalize(host);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1); // "[::1]": the bare literal is what TLS checks against
        }
        return h.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return protocol.jsonName() + "://" + host + ":" + port + " (" + security.jsonName() + ")";
    }
}
