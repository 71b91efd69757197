package org.mailsetup.internal.http;

import java.io.IOException;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.net.Dialer;

/**
 * The HTTP door: every request, and every redirect hop, goes only to addresses the network policy
 * allows, checked on the connection actually made. Never sends credentials or cookies.
 */
public interface HttpFetcher {
    HttpResult fetch(HttpRequest request, Deadline deadline) throws IOException;

    /** This fetcher resolving and connecting through the given dialer (a lookup's, with its pinned addresses). */
    default HttpFetcher using(Dialer dialer) {
        return this;
    }
}
