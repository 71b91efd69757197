package org.mailsetup.service.http;

import com.google.common.net.InetAddresses;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.mailsetup.Cidr;

/**
 * Who the client of a request is, for per-client limits. Normally the TCP peer. When the peer is a
 * trusted reverse proxy, the client is taken from the one header the operator named
 * ({@code X-Forwarded-For}, or {@code Forwarded} per RFC 7239 {@code for=}): the list is walked from the
 * right, skipping trusted proxies, and the first address that is not one is the client. Anything this
 * class cannot be sure of (obfuscated or unknown nodes, malformed headers) gives the peer, never a
 * header-supplied value.
 */
final class ClientAddresses {

    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    // RFC 7239 section 6.3: obfuscated node names and ports.
    private static final Pattern OBFUSCATED = Pattern.compile("_[A-Za-z0-9._-]+");

    private final List<Cidr> trusted;
    private final TrustedProxies.Header header;

    ClientAddresses(TrustedProxies proxies) {
        this.trusted = proxies.networks();
        this.header = proxies.header();
    }

    /** The client's address: the canonical text of an IP address (or {@code ?} without a peer). */
    String of(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        String peer = remote == null ? "?" : remote.hostAddress();
        if (trusted.isEmpty()) {
            // The common case costs nothing: no parsing, the peer as Vert.x gives it.
            return peer;
        }
        return resolve(peer, request.headers().getAll(header.fieldName()));
    }

    /** The client behind {@code peer}, given the lines of the proxies' header (possibly none). */
    String resolve(String peer, List<String> lines) {
        InetAddress peerAddress = parse(peer);
        if (peerAddress == null || !isTrusted(peerAddress)) {
            // An untrusted peer may write anything into these headers.
            return peer;
        }
        String fallback = InetAddresses.toAddrString(peerAddress);
        List<InetAddress> hops;
        try {
            if (lines.isEmpty()) {
                return fallback;
            }
            // Several lines of one header are one comma-separated list (RFC 9110 section 5.3).
            String list = String.join(",", lines);
            hops = header == TrustedProxies.Header.FORWARDED ? forwardedFor(list) : xForwardedFor(list);
        } catch (MalformedException e) {
            return fallback;
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = hops.get(i);
            if (hop == null) {
                // A proxy we trust did not know (or would not say) whom it served.
                return fallback;
            }
            if (!isTrusted(hop)) {
                return InetAddresses.toAddrString(hop);
            }
        }
        // Every hop is a trusted proxy (a request from inside): the left-most is the origin.
        return hops.isEmpty() ? fallback : InetAddresses.toAddrString(hops.get(0));
    }

    private boolean isTrusted(InetAddress a) {
        for (Cidr c : trusted) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** A peer address as Vert.x writes it (IPv6 possibly with a zone), or null. */
    private static InetAddress parse(String text) {
        int zone = text.indexOf('%');
        String s = zone < 0 ? text : text.substring(0, zone);
        return InetAddresses.isInetAddress(s) ? InetAddresses.forString(s) : null;
    }

    private static final class MalformedException extends Exception {
        MalformedException() {
            super(null, null, false, false);
        }
    }

    // ------------------------------------------------------------------ Forwarded (RFC 7239)

    /** The {@code for=} node of each element, left to right; null for unknown, obfuscated or absent. */
    private static List<InetAddress> forwardedFor(String header) throws MalformedException {
        List<InetAddress> out = new ArrayList<>();
        int n = header.length();
        int i = 0;
        boolean inElement = false;
        String forValue = null;
        while (true) {
            i = skipSpace(header, i);
            if (i >= n || header.charAt(i) == ',') {
                if (inElement) {
                    out.add(forValue == null ? null : node(forValue));
                }
                if (i >= n) {
                    return out;
                }
                inElement = false;
                forValue = null;
                i++;
                continue;
            }
            if (header.charAt(i) == ';') {
                // An empty pair is allowed: forwarded-element = [ pair ] *( ";" [ pair ] ).
                i++;
                continue;
            }
            int nameStart = i;
            while (i < n && isTchar(header.charAt(i))) {
                i++;
            }
            if (i == nameStart || i >= n || header.charAt(i) != '=') {
                throw new MalformedException();
            }
            String name = header.substring(nameStart, i);
            i++;
            String value;
            if (i < n && header.charAt(i) == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new MalformedException();
                    }
                    char c = header.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (i >= n) {
                            throw new MalformedException();
                        }
                        c = header.charAt(i++);
                    }
                    b.append(c);
                }
                value = b.toString();
            } else {
                int valueStart = i;
                while (i < n && isTchar(header.charAt(i))) {
                    i++;
                }
                if (i == valueStart) {
                    throw new MalformedException();
                }
                value = header.substring(valueStart, i);
            }
            inElement = true;
            if (name.equalsIgnoreCase("for")) {
                if (forValue != null) {
                    // RFC 7239 section 4: a parameter must not occur twice in one element.
                    throw new MalformedException();
                }
                forValue = value;
            }
            i = skipSpace(header, i);
            if (i < n && header.charAt(i) != ';' && header.charAt(i) != ',') {
                throw new MalformedException();
            }
        }
    }

    /** A node (RFC 7239 section 6): an IP address, or null when unknown or obfuscated. */
    private static InetAddress node(String node) throws MalformedException {
        if (node.equalsIgnoreCase("unknown")) {
            return null;
        }
        if (node.startsWith("_")) {
            if (!OBFUSCATED.matcher(node).matches()) {
                throw new MalformedException();
            }
            return null;
        }
        String host;
        String port;
        if (node.startsWith("[")) {
            int close = node.indexOf(']');
            if (close < 0) {
                throw new MalformedException();
            }
            host = node.substring(1, close);
            if (host.indexOf(':') < 0) {
                throw new MalformedException();
            }
            String rest = node.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new MalformedException();
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            // Without brackets only IPv4: an IPv6 node must be bracketed (RFC 7239 section 6).
            int colon = node.indexOf(':');
            host = colon < 0 ? node : node.substring(0, colon);
            port = colon < 0 ? null : node.substring(colon + 1);
            if (host.indexOf('.') < 0) {
                throw new MalformedException();
            }
        }
        if (port != null && !PORT.matcher(port).matches() && !OBFUSCATED.matcher(port).matches()) {
            throw new MalformedException();
        }
        return literal(host);
    }

    // ------------------------------------------------------------------ X-Forwarded-For

    /** The addresses of an X-Forwarded-For list, left to right; null for {@code unknown}. */
    private static List<InetAddress> xForwardedFor(String header) throws MalformedException {
        List<InetAddress> out = new ArrayList<>();
        for (String part : header.split(",", -1)) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (s.equalsIgnoreCase("unknown")) {
                out.add(null);
                continue;
            }
            // Some proxies add a port: [v6]:port or v4:port. A bare IPv6 address has several colons.
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw new MalformedException();
                }
                String rest = s.substring(close + 1);
                if (!rest.isEmpty() && !(rest.startsWith(":") && PORT.matcher(rest.substring(1)).matches())) {
                    throw new MalformedException();
                }
                s = s.substring(1, close);
                if (s.indexOf(':') < 0) {
                    throw new MalformedException();
                }
            } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                int colon = s.indexOf(':');
                if (!PORT.matcher(s.substring(colon + 1)).matches()) {
                    throw new MalformedException();
                }
                s = s.substring(0, colon);
            }
            out.add(literal(s));
        }
        return out;
    }

    private static InetAddress literal(String s) throws MalformedException {
        // No zones: they name an interface of the sender, meaningless here.
        if (s.indexOf('%') >= 0 || !InetAddresses.isInetAddress(s)) {
            throw new MalformedException();
        }
        return InetAddresses.forString(s);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** RFC 9110 token characters. */
    private static boolean isTchar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
