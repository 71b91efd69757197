package org.mailsetup.internal.source.autodiscover;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.mailsetup.EmailAddress;
import org.mailsetup.Endpoint;
import org.mailsetup.InvalidEmailException;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.SourceName;
import org.mailsetup.config.HostNames;
import org.mailsetup.internal.RegistrableDomains;
import org.mailsetup.internal.discovery.Candidate;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.discovery.Source;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.http.HttpRequest;
import org.mailsetup.internal.http.HttpResult;
import org.mailsetup.internal.source.ConfigDocuments;
import org.mailsetup.internal.source.ConfigFetch;
import org.mailsetup.internal.source.Preferred;

/**
 * Microsoft Autodiscover, the unauthenticated Outlook "POX" variant: the 2006 request is POSTed to
 * {@code https://autodiscover.<domain>/autodiscover/autodiscover.xml} and
 * {@code https://<domain>/autodiscover/autodiscover.xml} at once (the first preferred), never to a
 * parent domain, never over http, and never with credentials: a 401 simply means "nothing here".
 *
 * <p>How the {@code <Protocol>} elements of type IMAP, POP3 and SMTP become settings:
 * <ul>
 *   <li>{@code Encryption} wins over {@code SSL} when present (as in Microsoft's schema):
 *       {@code SSL} = implicit TLS, {@code TLS} = STARTTLS, {@code None} = plain, {@code Auto} = decided by
 *       the port like {@code SSL=on} below;</li>
 *   <li>{@code SSL=on} (also the default when absent) is implicit TLS on the implicit-TLS ports 993, 995
 *       and 465 and STARTTLS on any other port, because servers that say "SSL" on 143/587 mean STARTTLS;
 *       {@code SSL=off} is plain;</li>
 *   <li>a missing {@code Port} is the standard port for the protocol and security;</li>
 *   <li>{@code LoginName} is the username, else the full address; {@code SPA=on} means
 *       password-encrypted, otherwise password-cleartext.</li>
 * </ul>
 * {@code Action=redirectAddr} (a new address: ask again on its domain) and {@code redirectUrl} (a new
 * https URL) are followed at most {@value #MAX_REDIRECTS} times. Only answers reached over https on every
 * hop, without leaving the email domain, are trusted.
 */
public final class AutodiscoverSource implements Source {

    static final String PATH = "/autodiscover/autodiscover.xml";
    static final int MAX_REDIRECTS = 2;
    static final Duration GRACE = Duration.ofMillis(1500);
    private static final Set<Integer> IMPLICIT_TLS_PORTS = Set.of(993, 995, 465);

    @Override
    public SourceName name() {
        return SourceName.AUTODISCOVER;
    }

    /** What one POST to one URL gave. */
    record Attempt(URI url, HttpResult response, String action, List<Candidate> candidates, List<String> warnings,
                   String redirect, String problem, boolean timedOut, boolean dnsFailed) {
        boolean usable() {
            return problem == null;
        }

        String summary() {
            return ConfigFetch.display(url) + (problem == null ? " answered" : ": " + problem);
        }
    }

    @Override
    public SourceOutcome discover(LookupContext ctx) throws Exception {
        String origin = ctx.domain();
        EmailAddress address = ctx.email();
        List<URI> urls = initialUrls(ctx, address.domain());
        List<String> trail = new ArrayList<>();
        String untrusted = null;
        Set<String> seen = new HashSet<>();
        seen.add(address.address().toLowerCase(Locale.ROOT));
        for (int redirects = 0; ; redirects++) {
            EmailAddress asking = address;
            List<Callable<Attempt>> tasks = new ArrayList<>();
            for (URI u : urls) {
                tasks.add(() -> post(ctx, u, asking));
            }
            Preferred.Outcome<Attempt> outcome = Preferred.run(ctx.executor(), tasks, Attempt::usable, ctx.deadline(),
                    GRACE);
            Attempt a = outcome.best();
            if (a == null) {
                return ConfigDocuments.nothingFound(outcome, Attempt::timedOut, Attempt::dnsFailed,
                        prefix(trail) + "no autodiscover answer: " + summaries(outcome, urls));
            }
            if (untrusted == null) {
                untrusted = ConfigFetch.whyNotSecureWithin(a.response(), origin);
            }
            trail.add(ConfigFetch.display(a.response().finalUrl()));
            switch (a.action()) {
                case "redirectAddr", "redirectUrl" -> {
                    if (redirects >= MAX_REDIRECTS) {
                        return SourceOutcome.empty(prefix(trail) + "stopped: more than " + MAX_REDIRECTS
                                + " autodiscover redirects");
                    }
                }
                default -> {
                    String detail = prefix(trail.subList(0, trail.size() - 1)) + trail.getLast() + " answered"
                            + (untrusted == null ? "; trusted (https on " + origin + ")" : "; untrusted: " + untrusted);
                    List<Candidate> candidates = a.candidates();
                    if (untrusted != null) {
                        candidates = candidates.stream().map(c -> new Candidate(c.endpoint(), c.username(),
                                c.usernameTemplate(), c.auth(), c.source(), false)).toList();
                    }
                    return SourceOutcome.of(candidates, null, a.warnings(), detail);
                }
            }
            if (a.action().equals("redirectAddr")) {
                EmailAddress next;
                try {
                    next = EmailAddress.parse(a.redirect());
                } catch (InvalidEmailException e) {
                    return SourceOutcome.empty(prefix(trail) + "redirectAddr to an invalid address: " + e.getMessage());
                }
                if (!seen.add(next.address().toLowerCase(Locale.ROOT))) {
                    return SourceOutcome.empty(prefix(trail) + "redirect loop: " + next.address() + " was already asked");
                }
                if (untrusted == null && !RegistrableDomains.sameOwner(next.domain(), origin)) {
                    untrusted = "redirected to an address at " + next.domain() + ", outside "
                            + RegistrableDomains.owner(origin);
                }
                trail.set(trail.size() - 1, trail.getLast() + " (redirectAddr " + next.domain() + ")");
                address = next;
                urls = initialUrls(ctx, next.domain());
            } else {
                URI next;
                try {
                    next = URI.create(a.redirect().strip());
                } catch (IllegalArgumentException e) {
                    return SourceOutcome.empty(prefix(trail) + "redirectUrl is not a URL: " + e.getMessage());
                }
                if (!"https".equalsIgnoreCase(next.getScheme()) || next.getHost() == null) {
                    return SourceOutcome.empty(prefix(trail) + "refused redirectUrl " + ConfigFetch.display(next)
                            + ": only https URLs are followed");
                }
                if (!seen.add(next.toString())) {
                    return SourceOutcome.empty(prefix(trail) + "redirect loop: " + ConfigFetch.display(next)
                            + " was already asked");
                }
                if (untrusted == null && !RegistrableDomains.sameOwner(HostNames.normalize(next.getHost()), origin)) {
                    untrusted = "redirected to " + next.getHost() + ", outside " + RegistrableDomains.owner(origin);
                }
                trail.set(trail.size() - 1, trail.getLast() + " (redirectUrl)");
                urls = List.of(next);
            }
        }
    }

    private static List<URI> initialUrls(LookupContext ctx, String domain) {
        // Exactly the domain and its autodiscover host: walking up to a parent would leak the address.
        return List.of(ctx.settings().https("autodiscover." + domain, PATH), ctx.settings().https(domain, PATH));
    }

    static Attempt post(LookupContext ctx, URI url, EmailAddress address) {
        HttpResult r;
        try {
            HttpRequest req = HttpRequest.post(url, PoxXml.request(address.address()), "text/xml; charset=utf-8")
                    .withHeader("Accept", "text/xml, application/xml").withMaxRedirects(2);
            r = ctx.http().fetch(req, ctx.deadline());
        } catch (IOException e) {
            return new Attempt(url, null, null, List.of(), List.of(), null, ConfigFetch.describe(e),
                    ConfigFetch.timedOut(e), ConfigFetch.resolverFailed(e));
        }
        if (r.status() == 401 || r.status() == 403) {
            return failed(url, r, "HTTP " + r.status() + " (wants credentials; mailsetup never sends any)");
        }
        if (!r.isSuccess()) {
            return failed(url, r, "HTTP " + r.status());
        }
        if (!"https".equalsIgnoreCase(r.finalUrl().getScheme())) {
            return failed(url, r, "redirected to plain http (" + ConfigFetch.display(r.finalUrl()) + "); not used");
        }
        PoxXml.Response doc;
        try {
            doc = PoxXml.read(r.body());
        } catch (IOException e) {
            return failed(url, r, "not an autodiscover response: " + firstLine(e.getMessage()));
        }
        PoxXml.ErrorXml error = doc.error != null ? doc.error : doc.response == null ? null : doc.response.error;
        if (error != null) {
            return failed(url, r, "autodiscover error " + blank(error.errorCode, "?") + ": " + blank(error.message, ""));
        }
        if (doc.response == null || doc.response.account == null) {
            return failed(url, r, "autodiscover response without <Account>");
        }
        PoxXml.Account account = doc.response.account;
        String action = account.action == null ? "settings" : account.action.strip();
        switch (action) {
            case "redirectAddr" -> {
                return account.redirectAddr == null || account.redirectAddr.isBlank()
                        ? failed(url, r, "redirectAddr without an address")
                        : new Attempt(url, r, action, List.of(), List.of(), account.redirectAddr.strip(), null, false, false);
            }
            case "redirectUrl" -> {
                return account.redirectUrl == null || account.redirectUrl.isBlank()
                        ? failed(url, r, "redirectUrl without a URL")
                        : new Attempt(url, r, action, List.of(), List.of(), account.redirectUrl.strip(), null, false, false);
            }
            case "settings" -> {
                List<String> warnings = new ArrayList<>();
                List<Candidate> candidates = candidates(account.protocols, address, warnings);
                if (candidates.isEmpty()) {
                    Set<String> types = new LinkedHashSet<>();
                    account.protocols.forEach(p -> types.add(String.valueOf(p.type)));
                    return failed(url, r, "no usable IMAP, POP3 or SMTP settings"
                            + (types.isEmpty() ? "" : " (only " + String.join(", ", types) + ")")
                            + (warnings.isEmpty() ? "" : ": " + String.join("; ", warnings)));
                }
                return new Attempt(url, r, action, candidates, warnings, null, null, false, false);
            }
            default -> {
                return failed(url, r, "unknown Action '" + action + "'");
            }
        }
    }

    static List<Candidate> candidates(List<PoxXml.ProtocolXml> protocols, EmailAddress address, List<String> warnings) {
        List<Candidate> out = new ArrayList<>();
        Set<Endpoint> seen = new HashSet<>();
        for (PoxXml.ProtocolXml p : protocols) {
            String type = p.type == null ? "" : p.type.strip().toUpperCase(Locale.ROOT);
            Protocol protocol = switch (type) {
                case "IMAP" -> Protocol.IMAP;
                case "POP3" -> Protocol.POP3;
                case "SMTP" -> Protocol.SMTP;
                default -> null;
            };
            if (protocol == null) {
                continue; // EXCH, EXPR, WEB...: not ours, and not worth a warning
            }
            String host = p.server == null ? "" : HostNames.normalize(p.server);
            if (!HostNames.isValid(host)) {
                warnings.add(type + ": server '" + host + "' is not a valid host name; ignored");
                continue;
            }
            Mode mode = mode(p, type, warnings);
            if (mode == null) {
                continue;
            }
            int port;
            if (p.port == null || p.port.isBlank()) {
                port = mode == Mode.TLS || mode == Mode.BY_PORT ? protocol.tlsPort() : protocol.starttlsPort();
            } else {
                try {
                    port = Integer.parseInt(p.port.strip());
                } catch (NumberFormatException e) {
                    warnings.add(type + ": port '" + p.port.strip() + "' is not a number; ignored");
                    continue;
                }
                if (port < 1 || port > 65535) {
                    warnings.add(type + ": port " + port + " is out of range; ignored");
                    continue;
                }
            }
            Security security = switch (mode) {
                case TLS -> Security.TLS;
                case STARTTLS -> Security.STARTTLS;
                case PLAIN -> Security.PLAIN;
                case BY_PORT -> IMPLICIT_TLS_PORTS.contains(port) ? Security.TLS : Security.STARTTLS;
            };
            String username = p.loginName == null || p.loginName.isBlank() ? address.address() : p.loginName.strip();
            List<String> auth = List.of(isOn(p.spa, false) ? "password-encrypted" : "password-cleartext");
            Candidate c = new Candidate(protocol, host, port, security, username, auth, SourceName.AUTODISCOVER, true);
            if (seen.add(c.endpoint())) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The security an entry asks for, or {@link Mode#BY_PORT} when it only says "encrypted" (SSL=on, or
     * Encryption=Auto) and the port must decide; null (with a warning) when the value is unknown.
     */
    private enum Mode { TLS, STARTTLS, PLAIN, BY_PORT }

    private static Mode mode(PoxXml.ProtocolXml p, String type, List<String> warnings) {
        if (p.encryption != null && !p.encryption.isBlank()) {
            return switch (p.encryption.strip().toLowerCase(Locale.ROOT)) {
                case "ssl" -> Mode.TLS;
                case "tls" -> Mode.STARTTLS;
                case "none" -> Mode.PLAIN;
                case "auto" -> Mode.BY_PORT;
                default -> {
                    warnings.add(type + ": Encryption '" + p.encryption.strip() + "' is unknown; ignored");
                    yield null;
                }
            };
        }
        String ssl = p.ssl == null ? "" : p.ssl.strip().toLowerCase(Locale.ROOT);
        return switch (ssl) {
            case "", "on" -> Mode.BY_PORT; // SSL defaults to on
            case "off" -> Mode.PLAIN;
            default -> {
                warnings.add(type + ": SSL '" + p.ssl.strip() + "' is neither on nor off; ignored");
                yield null;
            }
        };
    }

    private static boolean isOn(String flag, boolean dflt) {
        return flag == null || flag.isBlank() ? dflt : flag.strip().equalsIgnoreCase("on");
    }

    private static Attempt failed(URI url, HttpResult r, String problem) {
        return new Attempt(url, r, null, List.of(), List.of(), null, problem, false, false);
    }

    private static String summaries(Preferred.Outcome<Attempt> outcome, List<URI> urls) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            Attempt a = outcome.results().get(i);
            parts.add(a == null ? ConfigFetch.display(urls.get(i)) + ": no answer in time" : a.summary());
        }
        return String.join("; ", parts);
    }

    private static String prefix(List<String> trail) {
        return trail.isEmpty() ? "" : "via " + String.join(" -> ", trail) + ": ";
    }

    private static String blank(String s, String dflt) {
        return s == null || s.isBlank() ? dflt : s.strip();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
