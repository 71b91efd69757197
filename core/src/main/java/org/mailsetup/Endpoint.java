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

    /**
     * Reads {@code PROTOCOL://HOST[:PORT][/SECURITY]}, e.g. {@code imap://imap.example.org:993/tls} or
     * {@code smtp://[2001:db8::1]/starttls}: protocol {@code imap}, {@code pop3} or {@code smtp}; security
     * {@code tls}, {@code starttls} or {@code plain}. Without a port, the protocol's standard port for the security
     * (plain uses the STARTTLS port); without a security, {@code tls} on the protocol's implicit-TLS port and
     * {@code starttls} on any other.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Endpoint parse(String text) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(text == null ? "" : text.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not an endpoint (protocol://host:port/security): " + e.getMessage());
        }
        Protocol protocol = Protocol.fromServerType(uri.getScheme()).orElseThrow(() -> new IllegalArgumentException(
                "unknown protocol '" + uri.getScheme() + "' (imap, pop3 or smtp), in " + text));
        if (uri.getHost() == null || uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("not an endpoint (protocol://host:port/security): " + text);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        Security security = switch (path.toLowerCase(Locale.ROOT)) {
            case "" -> uri.getPort() < 0 || uri.getPort() == protocol.tlsPort() ? Security.TLS : Security.STARTTLS;
            case "tls" -> Security.TLS;
            case "starttls" -> Security.STARTTLS;
            case "plain" -> Security.PLAIN;
            default -> throw new IllegalArgumentException("unknown security '" + path + "' (tls, starttls or plain), in "
                    + text);
        };
        int port = uri.getPort() >= 0 ? uri.getPort()
                : security == Security.TLS ? protocol.tlsPort() : protocol.starttlsPort();
        return new Endpoint(protocol, uri.getHost(), port, security);
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
