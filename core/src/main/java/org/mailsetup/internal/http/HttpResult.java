package org.mailsetup.internal.http;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A completed HTTP exchange after redirects.
 *
 * @param hops     every URL requested, the first one first and {@code finalUrl} last
 * @param allHttps every hop used https
 * @param headers  the final response's headers, names in lower case, each with its values in order
 * @param address  the IP address the final response came from, or null when unknown
 * @param tls      the final connection's TLS (validated: OkHttp refuses any other), or null over plain http
 */
public record HttpResult(URI finalUrl, int status, String contentType, byte[] body, List<URI> hops, boolean allHttps,
                         Map<String, List<String>> headers, String address, Tls tls) {

    /** What the TLS handshake of a connection showed. */
    public record Tls(String version, String cipherSuite, String certificateSubject, String certificateIssuer,
                      String certificateExpires) {
    }

    public HttpResult {
        hops = List.copyOf(hops);
        headers = Map.copyOf(headers);
    }

    public HttpResult(URI finalUrl, int status, String contentType, byte[] body, List<URI> hops, boolean allHttps) {
        this(finalUrl, status, contentType, body, hops, allHttps, Map.of(), null, null);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Every value of a header (name in any case), in order. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
    }
}
