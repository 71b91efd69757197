package org.mailsetup.service.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that has not delivered a complete request head within a few seconds of opening
 * or of its previous response (slowloris: headers sent a byte at a time, each byte resetting the idle
 * timeout). Vert.x has idle timeouts but no header-read timeout, so this keeps one timer per connection:
 * armed while the server waits for a request head, cancelled once one has arrived.
 */
final class HeaderTimeout {

    private static final Logger log = LoggerFactory.getLogger(HeaderTimeout.class);

    private final Vertx vertx;
    private final long millis;
    private final Map<HttpConnection, Long> timers = new ConcurrentHashMap<>();

    HeaderTimeout(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.millis = Math.max(1, timeout.toMillis());
    }

    /** A new connection: its first request head is due. */
    void opened(HttpConnection c) {
        c.closeHandler(v -> cancel(c));
        arm(c);
    }

    /** A request head arrived: no deadline while the request is being answered. */
    void requestStarted(HttpConnection c) {
        cancel(c);
    }

    /** The answer is out: the next request head is due. */
    void requestEnded(HttpConnection c) {
        arm(c);
    }

    private void arm(HttpConnection c) {
        long[] id = new long[1];
        id[0] = vertx.setTimer(millis, t -> {
            if (timers.remove(c, id[0])) {
                log.debug("closing a connection that sent no complete request head in {} ms", millis);
                c.close();
            }
        });
        Long previous = timers.put(c, id[0]);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
    }

    private void cancel(HttpConnection c) {
        Long id = timers.remove(c);
        if (id != null) {
            vertx.cancelTimer(id);
        }
    }
}
