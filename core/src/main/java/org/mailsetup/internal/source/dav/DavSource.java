package org.mailsetup.internal.source.dav;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Future;
import org.mailsetup.Service;
import org.mailsetup.SourceName;
import org.mailsetup.internal.RegistrableDomains;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.discovery.ServiceCandidate;
import org.mailsetup.internal.discovery.Source;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsException;
import org.mailsetup.internal.dns.SrvRecord;
import org.mailsetup.internal.source.DnsAnswers;
import org.mailsetup.internal.source.WellKnown;

/**
 * CalDAV or CardDAV context URLs by RFC 6764, all asked at once: SRV {@code _caldavs._tcp} /
 * {@code _carddavs._tcp} with the TXT record at the same name ({@code path=/...}), the domain's
 * {@code https://<domain>/.well-known/caldav|carddav}, and the insecure {@code _caldav._tcp} /
 * {@code _carddav._tcp}. Without a TXT path, the context path is where the SRV target's well-known URL leads.
 * <ul>
 *   <li>trusted: a secure SRV record whose target is inside the email domain (or DNSSEC-validated), reached over
 *       https on every hop; the domain's well-known URL when every hop stayed https within the domain;</li>
 *   <li>untrusted: anything else, and always the insecure SRV records, whose targets are only tried with https
 *       (port 443), as the RFC allows no credentials over plain http.</li>
 * </ul>
 */
public final class DavSource {

    private DavSource() {
    }

    public static Source caldav() {
        return new Rfc6764(SourceName.CALDAV, Service.CALENDARS, "caldav");
    }

    public static Source carddav() {
        return new Rfc6764(SourceName.CARDDAV, Service.CONTACTS, "carddav");
    }

    private record Rfc6764(SourceName name, Service service, String label) implements Source {

        @Override
        public SourceOutcome discover(LookupContext ctx) throws Exception {
            String domain = ctx.domain();
            String secure = "_" + label + "s._tcp." + domain;
            String insecure = "_" + label + "._tcp." + domain;
            Future<DnsAnswer<SrvRecord>> secureSrv = ctx.executor().submit(() -> ctx.dns().srv(secure, ctx.deadline()));
            Future<DnsAnswer<String>> secureTxt = ctx.executor().submit(() -> ctx.dns().txt(secure, ctx.deadline()));
            Future<DnsAnswer<SrvRecord>> insecureSrv = ctx.executor().submit(() -> ctx.dns().srv(insecure, ctx.deadline()));
            Future<DnsAnswer<String>> insecureTxt = ctx.executor().submit(() -> ctx.dns().txt(insecure, ctx.deadline()));
            URI wellKnownUrl = ctx.settings().https(domain, "/.well-known/" + label);
            Future<WellKnown> wellKnown = ctx.executor().submit(() -> WellKnown.dav(ctx, wellKnownUrl));

            List<ServiceCandidate> out = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            List<String> details = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            boolean timedOut = false;
            for (boolean tls : List.of(true, false)) {
                String qname = tls ? secure : insecure;
                try {
                    timedOut |= fromSrv(ctx, qname, tls, DnsAnswers.await(tls ? secureSrv : insecureSrv, ctx.deadline(), qname),
                            tls ? secureTxt : insecureTxt, out, seen, details, warnings);
                } catch (DnsException e) {
                    ctx.noteDnsFailure(e);
                    timedOut |= e.deadlinePassed();
                    details.add(e.getMessage());
                }
                if (tls) {
                    WellKnown w = WellKnown.await(ctx, wellKnown, wellKnownUrl);
                    timedOut |= w.timedOut();
                    if (w.found()) {
                        String untrusted = w.whyNotSecureWithin(domain);
                        add(ctx, w.endpoint(), untrusted == null, out, seen);
                        details.add(w.summary() + (untrusted == null ? "; trusted" : "; untrusted: " + untrusted));
                    } else {
                        details.add(w.summary());
                    }
                }
            }
            String detail = String.join("; ", details);
            if (out.isEmpty() && timedOut) {
                return SourceOutcome.timedOut(detail);
            }
            return SourceOutcome.of(List.of(), out, null, warnings, detail);
        }

        /** Adds the best usable record's context URL; true when the deadline cut a step short. */
        private boolean fromSrv(LookupContext ctx, String qname, boolean tls, DnsAnswer<SrvRecord> answer,
                                Future<DnsAnswer<String>> txt, List<ServiceCandidate> out, Set<String> seen,
                                List<String> details, List<String> warnings) throws Exception {
            ctx.noteTtl(answer.ttlSeconds());
            SrvRecord best = DnsAnswers.firstUsable(qname, answer, details);
            if (best == null) {
                return false;
            }
            String target = best.target();
            boolean trusted = tls && (RegistrableDomains.sameOwner(target, ctx.domain()) || answer.authenticated());
            // The insecure record names a plain-http port: only its host is used, with https on the https port.
            String origin = tls ? "https://" + target + (best.port() == 443 ? "" : ":" + best.port())
                    : ctx.settings().https(target, "").toString();
            String path = txtPath(ctx, qname, txt, warnings);
            String via = qname + " -> " + target + ":" + best.port() + (tls ? "" : " (plain http; tried with https)");
            if (path != null) {
                add(ctx, URI.create(origin + path), trusted, out, seen);
                details.add(via + ", TXT path " + path);
                return false;
            }
            WellKnown w = WellKnown.dav(ctx, URI.create(origin + "/.well-known/" + label));
            if (w.found()) {
                add(ctx, w.endpoint(), trusted && w.allHttps(), out, seen);
                details.add(via + ", " + w.summary());
            } else {
                // RFC 6764 §6: without a path, the target's root is the last place to look.
                add(ctx, URI.create(origin + "/"), trusted, out, seen);
                details.add(via + ", " + w.summary() + "; trying /");
            }
            return w.timedOut();
        }

        /** The {@code path} of the TXT record at the SRV name, or null when there is none (or it is unusable). */
        private static String txtPath(LookupContext ctx, String qname, Future<DnsAnswer<String>> txt,
                                      List<String> warnings) throws InterruptedException {
            DnsAnswer<String> answer;
            try {
                answer = DnsAnswers.await(txt, ctx.deadline(), qname);
            } catch (DnsException e) {
                return null;
            }
            for (String record : answer.records()) {
                for (String pair : record.split(";")) {
                    String p = pair.strip();
                    if (p.toLowerCase(Locale.ROOT).startsWith("path=")) {
                        String path = p.substring(5).strip();
                        if (isPath(path)) {
                            return path;
                        }
                        warnings.add(qname + ": TXT path '" + path + "' is not an absolute path; ignored");
                    }
                }
            }
            return null;
        }

        /** An absolute URL path (RFC 3986 characters, no query or fragment) of reasonable length. */
        private static boolean isPath(String path) {
            if (!path.startsWith("/") || path.length() > 1024) {
                return false;
            }
            try {
                URI u = new URI("https://x" + path);
                return u.getRawQuery() == null && u.getRawFragment() == null;
            } catch (java.net.URISyntaxException e) {
                return false;
            }
        }

        private void add(LookupContext ctx, URI url, boolean trusted, List<ServiceCandidate> out, Set<String> seen) {
            String u = WellKnown.https(url).toString();
            if (seen.add(u)) {
                out.add(new ServiceCandidate(service, u, ctx.email().address(), "%EMAILADDRESS%", List.of(), name,
                        trusted));
            }
        }
    }
}
