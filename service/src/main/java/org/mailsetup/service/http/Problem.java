package org.mailsetup.service.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}). {@code code} is a stable,
 * machine-readable id (the lookup error codes, plus the HTTP-level ones below); {@code type} is a URN
 * built from it, since no documentation site is promised at a URL.
 */
@JsonPropertyOrder({"type", "title", "status", "detail", "code", "url"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String url) {

    public static final String CONTENT_TYPE = "application/problem+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem("urn:mailsetup:problem:" + code, title, status, detail, code, null);
    }

    /** The same problem with a page that explains it (an extension member, RFC 9457 section 3.2). */
    public Problem withUrl(String url) {
        return new Problem(type, title, status, detail, code, url);
    }

    /** Ends the request with this problem. */
    public void send(RoutingContext ctx) {
        send(ctx.response());
    }

    /** Ends the response with this problem (also where no router is involved); completes once written. */
    public Future<Void> send(HttpServerResponse response) {
        if (response.ended()) {
            return Future.succeededFuture();
        }
        try {
            return response.setStatusCode(status)
                    .putHeader("Content-Type", CONTENT_TYPE)
                    .putHeader("Cache-Control", "no-store")
                    .end(Buffer.buffer(JSON.writeValueAsBytes(this)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON writer failed", e);
        }
    }
}
