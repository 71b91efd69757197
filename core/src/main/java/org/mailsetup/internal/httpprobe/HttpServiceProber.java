package org.mailsetup.internal.httpprobe;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.mailsetup.ProbeReport.FailureKind;
import org.mailsetup.Service;
import org.mailsetup.ServiceProbeReport;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.http.HttpFetcher;
import org.mailsetup.internal.http.HttpRequest;
import org.mailsetup.internal.http.HttpResult;
import org.mailsetup.internal.net.BlockedAddressException;
import org.mailsetup.internal.net.Dialer;

/**
 * Checks a contacts, calendars or JMAP endpoint without credentials, through the {@link HttpFetcher} (so every
 * hop is policy-checked and every certificate validated):
 * <ul>
 *   <li>DAV: {@code OPTIONS} whose {@code DAV:} header lists {@code addressbook} (CardDAV) or
 *       {@code calendar-access} (CalDAV), or answers {@code 401} with a {@code WWW-Authenticate} challenge; else
 *       an unauthenticated {@code PROPFIND} of {@code current-user-principal} answered {@code 207} (or 401 with a
 *       challenge);</li>
 *   <li>JMAP: the session resource answers {@code 401} with a challenge, or {@code 200} with a JSON session
 *       object whose {@code capabilities} include {@code urn:ietf:params:jmap:core}.</li>
 * </ul>
 * Only https hops count. Never throws: every failure is a report with a reason and a kind.
 */
public final class HttpServiceProber {

    /** Redirects followed from the URL probed, as for the well-known URLs. */
    public static final int MAX_REDIRECTS = 5;
    /** A JMAP session object is a few kilobytes; anything much bigger is refused unread. */
    static final int MAX_SESSION_BYTES = 64 * 1024;
    /** Bodies of OPTIONS and PROPFIND answers are not evidence; they are read only up to this. */
    static final int MAX_DAV_BYTES = 64 * 1024;
    static final String JMAP_CORE = "urn:ietf:params:jmap:core";
    private static final int MAX_CAPABILITIES = 32;
    private static final byte[] PROPFIND = """
            <?xml version="1.0" encoding="utf-8"?>
            <d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>
            """.getBytes(StandardCharsets.UTF_8);
    /** Deeply nested JSON costs stack, not bytes: a session object is three levels deep. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build()).build());

    private final HttpFetcher http;

    public HttpServiceProber(HttpFetcher http) {
        this.http = http;
    }

    /** This prober fetching through the given dialer (a lookup's, with its pinned addresses). */
    public HttpServiceProber using(Dialer dialer) {
        return new HttpServiceProber(http.using(dialer));
    }

    public ServiceProbeReport probe(Service service, String url, Deadline deadline) {
        long t0 = System.nanoTime();
        try {
            return service == Service.JMAP ? jmap(URI.create(url), deadline, t0) : dav(service, URI.create(url), deadline, t0);
        } catch (IOException e) {
            return failure(e, t0);
        } catch (IllegalArgumentException e) {
            return failed(t0, null, "not a URL the probe can fetch: " + e.getMessage(), FailureKind.CONCLUSIVE);
        }
    }

    private ServiceProbeReport dav(Service service, URI url, Deadline deadline, long t0) throws IOException {
        String wanted = service == Service.CALENDARS ? "calendar-access" : "addressbook";
        HttpResult options = http.fetch(new HttpRequest("OPTIONS", url, java.util.Map.of(), null, null, MAX_DAV_BYTES,
                MAX_REDIRECTS), deadline);
        ServiceProbeReport plain = plainHop(options, t0);
        if (plain != null) {
            return plain;
        }
        List<String> classes = davClasses(options);
        List<String> schemes = authSchemes(options);
        if (classes.contains(wanted) || (options.status() == 401 && !schemes.isEmpty())) {
            return report(true, options, classes, schemes, List.of(), t0, null, null);
        }
        HttpResult propfind = http.fetch(new HttpRequest("PROPFIND", url, java.util.Map.of("Depth", "0"), PROPFIND,
                "application/xml; charset=utf-8", MAX_DAV_BYTES, MAX_REDIRECTS), deadline);
        plain = plainHop(propfind, t0);
        if (plain != null) {
            return plain;
        }
        List<String> propfindSchemes = authSchemes(propfind);
        List<String> allClasses = classes.isEmpty() ? davClasses(propfind) : classes;
        if (propfind.status() == 207 || (propfind.status() == 401 && !propfindSchemes.isEmpty())) {
            return report(true, propfind, allClasses, propfindSchemes, List.of(), t0, null, null);
        }
        return report(false, propfind, allClasses, propfindSchemes, List.of(), t0,
                "not " + (service == Service.CALENDARS ? "CalDAV" : "CardDAV") + ": OPTIONS answered HTTP "
                        + options.status() + (classes.isEmpty() ? " without a DAV header" : " with DAV: "
                        + String.join(", ", classes)) + ", PROPFIND answered HTTP " + propfind.status(),
                FailureKind.CONCLUSIVE);
    }

    private ServiceProbeReport jmap(URI url, Deadline deadline, long t0) throws IOException {
        HttpResult r = http.fetch(HttpRequest.get(url).withHeader("Accept", "application/json")
                .withMaxRedirects(MAX_REDIRECTS).withMaxBytes(MAX_SESSION_BYTES), deadline);
        ServiceProbeReport plain = plainHop(r, t0);
        if (plain != null) {
            return plain;
        }
        List<String> schemes = authSchemes(r);
        if (r.status() == 401 && !schemes.isEmpty()) {
            return report(true, r, List.of(), schemes, List.of(), t0, null, null);
        }
        if (r.status() != 200) {
            return report(false, r, List.of(), schemes, List.of(), t0,
                    "not a JMAP session: HTTP " + r.status() + (r.status() == 401 ? " without a challenge" : ""),
                    FailureKind.CONCLUSIVE);
        }
        JsonNode root;
        try {
            root = JSON.readTree(r.body());
        } catch (JacksonException e) {
            return report(false, r, List.of(), schemes, List.of(), t0,
                    "not a JMAP session: the answer is not JSON (" + e.getOriginalMessage() + ")", FailureKind.CONCLUSIVE);
        }
        JsonNode caps = root == null ? null : root.get("capabilities");
        List<String> capabilities = new ArrayList<>();
        if (caps != null && caps.isObject()) {
            caps.fieldNames().forEachRemaining(n -> {
                if (capabilities.size() < MAX_CAPABILITIES) {
                    capabilities.add(n);
                }
            });
        }
        if (!capabilities.contains(JMAP_CORE)) {
            return report(false, r, List.of(), schemes, capabilities, t0,
                    "not a JMAP session: its capabilities do not include " + JMAP_CORE, FailureKind.CONCLUSIVE);
        }
        return report(true, r, List.of(), schemes, capabilities, t0, null, null);
    }

    /** A redirect to plain http: whatever answered there is not evidence. */
    private static ServiceProbeReport plainHop(HttpResult r, long t0) {
        if (r.allHttps()) {
            return null;
        }
        URI plain = r.hops().stream().filter(u -> !"https".equals(u.getScheme())).findFirst().orElse(r.finalUrl());
        return failed(t0, null, "redirected to plain http (" + plain + "); not used", FailureKind.CONCLUSIVE);
    }

    /** The compliance classes of every {@code DAV:} header, in order, each once. */
    static List<String> davClasses(HttpResult r) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : r.header("DAV")) {
            for (String c : v.split(",")) {
                String t = c.strip();
                if (!t.isEmpty() && t.length() <= 64) {
                    out.add(t.toLowerCase(Locale.ROOT));
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The schemes of every {@code WWW-Authenticate} challenge ({@code Basic realm="x", Bearer} gives Basic and
     * Bearer): the first token of each comma-separated part (commas inside quoted strings do not separate)
     * that is a bare token, not a parameter.
     */
    static List<String> authSchemes(HttpResult r) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : r.header("WWW-Authenticate")) {
            for (String part : splitOutsideQuotes(v)) {
                String p = part.strip();
                int sp = p.indexOf(' ');
                String token = sp < 0 ? p : p.substring(0, sp);
                if (!token.isEmpty() && token.length() <= 32 && token.chars().allMatch(HttpServiceProber::tokenChar)) {
                    String lower = token.toLowerCase(Locale.ROOT);
                    out.add(lower.substring(0, 1).toUpperCase(Locale.ROOT) + lower.substring(1));
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<String> splitOutsideQuotes(String v) {
        List<String> parts = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (quoted && c == '\\' && i + 1 < v.length()) {
                b.append(c).append(v.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                parts.add(b.toString());
                b.setLength(0);
                continue;
            }
            b.append(c);
        }
        parts.add(b.toString());
        return parts;
    }

    private static boolean tokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+.^_`|~-".indexOf(c) >= 0;
    }

    private static ServiceProbeReport report(boolean ok, HttpResult r, List<String> classes, List<String> schemes,
                                             List<String> capabilities, long t0, String failure, FailureKind kind) {
        HttpResult.Tls tls = r.tls();
        return new ServiceProbeReport(ok && tls != null, millisSince(t0), r.address(), r.status(), classes, schemes,
                r.finalUrl().toString(), capabilities, tls == null ? null : tls.version(),
                tls == null ? null : tls.cipherSuite(), tls == null ? null : tls.certificateSubject(),
                tls == null ? null : tls.certificateIssuer(), tls == null ? null : tls.certificateExpires(), tls != null,
                ok && tls == null ? "no TLS on the final connection" : failure,
                ok && tls == null ? FailureKind.CONCLUSIVE : kind);
    }

    private static ServiceProbeReport failure(IOException e, long t0) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof BlockedAddressException) {
            return failed(t0, null, msg, FailureKind.REFUSED);
        }
        if (e instanceof SSLException) {
            return failed(t0, null, "TLS failed: " + msg, FailureKind.CONCLUSIVE);
        }
        if (e instanceof UnknownHostException) {
            return failed(t0, null, msg, FailureKind.CONCLUSIVE);
        }
        if (e instanceof InterruptedIOException || e instanceof ConnectException) {
            return failed(t0, null, msg, FailureKind.INCONCLUSIVE);
        }
        // Too many redirects, a redirect loop, an oversized answer, a broken HTTP exchange: the endpoint's fault.
        return failed(t0, null, msg, FailureKind.CONCLUSIVE);
    }

    private static ServiceProbeReport failed(long t0, String address, String failure, FailureKind kind) {
        return new ServiceProbeReport(false, millisSince(t0), address, 0, List.of(), List.of(), null, List.of(), null,
                null, null, null, null, false, failure, kind);
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
