package org.mailsetup.internal.http;

import java.net.URI;
import java.util.List;

/**
 * A completed HTTP exchange after redirects.
 *
 * @param hops     every URL requested, the first one first and {@code finalUrl} last
 * @param allHttps every hop used https
 */
public record HttpResult(URI finalUrl, int status, String contentType, byte[] body, List<URI> hops, boolean allHttps) {

    public HttpResult {
        hops = List.copyOf(hops);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
