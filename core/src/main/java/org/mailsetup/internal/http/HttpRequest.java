package org.mailsetup.internal.http;

import java.net.URI;
import java.util.Map;

/**
 * An outbound HTTP request. Redirects are followed by the fetcher itself, at most {@code maxRedirects}
 * hops, each hop checked against the network policy.
 *
 * @param method      GET, POST, or DAV's unauthenticated OPTIONS and PROPFIND
 * @param body        request body for POST and PROPFIND, or null
 * @param contentType content type of the body, or null
 * @param maxBytes    a longer response body is an error, not truncated
 */
public record HttpRequest(String method, URI url, Map<String, String> headers, byte[] body, String contentType,
                          int maxBytes, int maxRedirects) {

    public static final int DEFAULT_MAX_BYTES = 256 * 1024;

    public static HttpRequest get(URI url) {
        return new HttpRequest("GET", url, Map.of(), null, null, DEFAULT_MAX_BYTES, 3);
    }

    public static HttpRequest post(URI url, byte[] body, String contentType) {
        return new HttpRequest("POST", url, Map.of(), body, contentType, DEFAULT_MAX_BYTES, 3);
    }

    public HttpRequest withHeader(String name, String value) {
        var h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpRequest(method, url, Map.copyOf(h), body, contentType, maxBytes, maxRedirects);
    }

    public HttpRequest withMaxBytes(int n) {
        return new HttpRequest(method, url, headers, body, contentType, n, maxRedirects);
    }

    public HttpRequest withMaxRedirects(int n) {
        return new HttpRequest(method, url, headers, body, contentType, maxBytes, n);
    }
}
