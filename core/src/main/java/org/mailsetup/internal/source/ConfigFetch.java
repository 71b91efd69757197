package org.mailsetup.internal.source;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import javax.net.ssl.SSLException;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.HostNames;
import org.mailsetup.config.InvalidConfigException;
import org.mailsetup.internal.RegistrableDomains;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.dns.DnsException;
import org.mailsetup.internal.http.HttpRequest;
import org.mailsetup.internal.http.HttpResult;
import org.mailsetup.internal.net.BlockedAddressException;

/**
 * One attempt to fetch a config-v1.1 document from one URL: either the parsed config, or why not.
 *
 * @param url      the URL asked (the first hop)
 * @param response the HTTP exchange, or null when none completed
 * @param config   the parsed config, or null
 * @param problem  why there is no config, or null when there is one
 * @param timedOut the fetch ran out of time (as opposed to failing)
 * @param dnsFailed the resolver could not answer for the URL's host (SERVFAIL, REFUSED, its own time-out):
 *                  nothing was asked, so the absence of a config says nothing
 */
public record ConfigFetch(URI url, HttpResult response, ClientConfig config, List<String> warnings, String problem,
                          boolean timedOut, boolean dnsFailed) {

    public ConfigFetch {
        warnings = List.copyOf(warnings);
    }

    /** GETs the URL under the lookup's deadline and parses the body; never throws for network trouble. */
    public static ConfigFetch get(LookupContext ctx, URI url) {
        HttpResult r;
        try {
            r = ctx.http().fetch(HttpRequest.get(url).withHeader("Accept", "application/xml, text/xml, */*;q=0.1"),
                    ctx.deadline());
        } catch (IOException e) {
            return new ConfigFetch(url, null, null, List.of(), describe(e), timedOut(e), resolverFailed(e));
        }
        if (!r.isSuccess()) {
            return new ConfigFetch(url, r, null, List.of(), "HTTP " + r.status() + redirected(r), false, false);
        }
        try {
            ClientConfigParser.Result parsed = ClientConfigParser.parse(r.body());
            return new ConfigFetch(url, r, parsed.config(), parsed.warnings(), null, false, false);
        } catch (InvalidConfigException e) {
            return new ConfigFetch(url, r, null, List.of(), "not a usable config" + redirected(r) + ": "
                    + e.getMessage(), false, false);
        }
    }

    public boolean found() {
        return config != null;
    }

    /** The URL that answered (after redirects), or the URL asked. */
    public URI finalUrl() {
        return response == null ? url : response.finalUrl();
    }

    /** Every hop was https and within the domain's registrable domain. */
    public boolean secureWithin(String domain) {
        return whyNotSecureWithin(domain) == null;
    }

    /** Null when every hop was https and within the domain's registrable domain; otherwise the first reason not. */
    public String whyNotSecureWithin(String domain) {
        return response == null ? "no response" : whyNotSecureWithin(response, domain);
    }

    /**
     * Null when every hop of the exchange was https and within the registrable domain of {@code domain}
     * (whoever owns the domain answered); otherwise the first reason not.
     */
    public static String whyNotSecureWithin(HttpResult response, String domain) {
        for (URI hop : response.hops()) {
            if (!"https".equalsIgnoreCase(hop.getScheme())) {
                return "fetched over plain http (" + display(hop) + ")";
            }
            if (!RegistrableDomains.sameOwner(HostNames.normalize(hop.getHost()), domain)) {
                return "redirected to " + hop.getHost() + ", outside " + RegistrableDomains.owner(domain);
            }
        }
        return null;
    }

    /** "url: problem" or "url answered" for source details. */
    public String summary() {
        return display(url) + (found() ? " answered" : ": " + problem);
    }

    /** The URL without its query (which may carry the email address), for details and logs. */
    public static String display(URI u) {
        String s = u.toString();
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    private static String redirected(HttpResult r) {
        return r.hops().size() > 1 ? " (after redirect to " + display(r.finalUrl()) + ")" : "";
    }

    /** The request ran out of time: the lookup's deadline, a read time-out, or DNS still asking at the deadline. */
    public static boolean timedOut(IOException e) {
        return e instanceof InterruptedIOException || e instanceof DnsException d && d.deadlinePassed();
    }

    /** The resolver gave no usable answer for the host (not NXDOMAIN, not a passed deadline). */
    public static boolean resolverFailed(IOException e) {
        return e instanceof DnsException d && !d.deadlinePassed();
    }

    /** A short reason for a failed fetch that keeps the kind of failure visible. */
    public static String describe(IOException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof UnknownHostException || e instanceof BlockedAddressException
                || e instanceof InterruptedIOException) {
            return msg;
        }
        if (e instanceof SSLException) {
            return "TLS failed: " + msg;
        }
        if (e instanceof java.net.ConnectException) {
            return "cannot connect: " + msg;
        }
        return msg;
    }
}
