package org.mailsetup.internal.source;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.http.HttpRequest;
import org.mailsetup.internal.http.HttpResult;

/**
 * Where a well-known URL leads (RFC 6764 §5 for CalDAV and CardDAV, RFC 8620 §2.2 for JMAP): its redirects
 * are followed through the lookup's HTTP door (every hop policy-checked, at most {@link #MAX_REDIRECTS}), and
 * the URL that answered as the service would is the endpoint. DAV is asked with the unauthenticated
 * {@code PROPFIND} the RFC describes (servers redirect it like any method, and a context path answers it with
 * {@code 207} or {@code 401}); JMAP with a {@code GET} for the session resource ({@code 200} JSON or {@code 401}).
 *
 * @param endpoint the URL that answered as the service would, upgraded to https; null when none did
 * @param allHttps every hop was https
 * @param problem  why there is no endpoint, or null
 * @param timedOut the lookup's deadline cut it short
 */
public record WellKnown(URI asked, URI endpoint, HttpResult response, boolean allHttps, String problem,
                        boolean timedOut) {

    public static final int MAX_REDIRECTS = 5;
    /** Answers here are not read, only looked at: a page bigger than this is not an endpoint. */
    private static final int MAX_BYTES = 64 * 1024;
    private static final byte[] PROPFIND = ("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + "<d:propfind xmlns:d=\"DAV:\"><d:prop><d:current-user-principal/></d:prop></d:propfind>")
            .getBytes(StandardCharsets.UTF_8);

    /** Follows a CalDAV or CardDAV well-known URL (or any DAV URL) to its context path. */
    public static WellKnown dav(LookupContext ctx, URI url) {
        return follow(ctx, url, new HttpRequest("PROPFIND", url, Map.of("Depth", "0"), PROPFIND,
                "application/xml; charset=utf-8", MAX_BYTES, MAX_REDIRECTS), false);
    }

    /** Follows a JMAP well-known URL to the session resource. */
    public static WellKnown jmap(LookupContext ctx, URI url) {
        return follow(ctx, url, HttpRequest.get(url).withHeader("Accept", "application/json")
                .withMaxBytes(MAX_BYTES).withMaxRedirects(MAX_REDIRECTS), true);
    }

    private static WellKnown follow(LookupContext ctx, URI url, HttpRequest request, boolean jmap) {
        HttpResult r;
        try {
            r = ctx.http().fetch(request, ctx.deadline());
        } catch (IOException e) {
            return new WellKnown(url, null, null, false, ConfigFetch.display(url) + ": " + ConfigFetch.describe(e),
                    e instanceof InterruptedIOException);
        }
        String where = ConfigFetch.display(r.finalUrl()) + (r.hops().size() > 1 ? " (redirected from "
                + ConfigFetch.display(url) + ")" : "");
        int status = r.status();
        boolean answers = status == 401 || (jmap ? status == 200 && !isHtml(r) : status == 207);
        if (!answers) {
            String what = isHtml(r) && status < 300 ? "an HTML page" : "HTTP " + status;
            return new WellKnown(url, null, r, r.allHttps(), where + " answered " + what + ", not "
                    + (jmap ? "a JMAP session" : "a DAV collection"), false);
        }
        return new WellKnown(url, https(r.finalUrl()), r, r.allHttps(), null, false);
    }

    private static boolean isHtml(HttpResult r) {
        String type = r.contentType() == null ? "" : r.contentType().toLowerCase(Locale.ROOT);
        return type.startsWith("text/html") || type.startsWith("application/xhtml");
    }

    /** The same URL over https: a plain-http endpoint is only ever a hint to try with TLS. */
    public static URI https(URI u) {
        if ("https".equalsIgnoreCase(u.getScheme())) {
            return u;
        }
        try {
            int port = u.getPort() == 80 ? -1 : u.getPort();
            return new URI("https", u.getUserInfo(), u.getHost(), port, u.getPath(), u.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A {@link #dav}/{@link #jmap} started on the lookup's executor, by the deadline. */
    public static WellKnown await(LookupContext ctx, Future<WellKnown> future, URI url)
            throws InterruptedException {
        try {
            return ctx.deadline().await(future);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new WellKnown(url, null, null, false, ConfigFetch.display(url) + ": no answer before the deadline", true);
        } catch (ExecutionException e) {
            return new WellKnown(url, null, null, false, ConfigFetch.display(url) + ": " + e.getCause(), false);
        }
    }

    public boolean found() {
        return endpoint != null;
    }

    /** Null when every hop was https within the domain's registrable domain; else the first reason not. */
    public String whyNotSecureWithin(String domain) {
        return response == null ? "no response" : ConfigFetch.whyNotSecureWithin(response, domain);
    }

    /** "url answered" or "url: problem", for source details. */
    public String summary() {
        return found() ? ConfigFetch.display(endpoint) + " answered" + (response.hops().size() > 1
                ? " (redirected from " + ConfigFetch.display(asked) + ")" : "")
                : problem;
    }
}
