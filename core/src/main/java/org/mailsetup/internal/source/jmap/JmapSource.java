package org.mailsetup.internal.source.jmap;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
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
 * JMAP session URLs (RFC 8620 §2.2): {@code https://<domain>/.well-known/jmap} and, from SRV
 * {@code _jmap._tcp.<domain>}, {@code https://<target>:<port>/.well-known/jmap}, asked at once; the session
 * resource is where the redirects lead. Trusted when every hop stayed https within the email domain, or the SRV
 * target is inside it (or DNSSEC-validated) and every hop was https.
 */
public final class JmapSource implements Source {

    @Override
    public SourceName name() {
        return SourceName.JMAP;
    }

    @Override
    public SourceOutcome discover(LookupContext ctx) throws Exception {
        String domain = ctx.domain();
        String qname = "_jmap._tcp." + domain;
        Future<DnsAnswer<SrvRecord>> srv = ctx.executor().submit(() -> ctx.dns().srv(qname, ctx.deadline()));
        URI wellKnownUrl = ctx.settings().https(domain, "/.well-known/jmap");
        Future<WellKnown> wellKnown = ctx.executor().submit(() -> WellKnown.jmap(ctx, wellKnownUrl));

        List<ServiceCandidate> out = new ArrayList<>();
        List<String> details = new ArrayList<>();
        boolean timedOut = false;
        WellKnown w = WellKnown.await(ctx, wellKnown, wellKnownUrl);
        timedOut |= w.timedOut();
        if (w.found()) {
            String untrusted = w.whyNotSecureWithin(domain);
            add(ctx, w.endpoint(), untrusted == null, out);
            details.add(w.summary() + (untrusted == null ? "; trusted" : "; untrusted: " + untrusted));
        } else {
            details.add(w.summary());
        }
        try {
            DnsAnswer<SrvRecord> answer = DnsAnswers.await(srv, ctx.deadline(), qname);
            ctx.noteTtl(answer.ttlSeconds());
            SrvRecord best = DnsAnswers.firstUsable(qname, answer, details);
            if (best != null) {
                String target = best.target();
                boolean trusted = RegistrableDomains.sameOwner(target, domain) || answer.authenticated();
                WellKnown t = WellKnown.jmap(ctx, URI.create("https://" + target
                        + (best.port() == 443 ? "" : ":" + best.port()) + "/.well-known/jmap"));
                timedOut |= t.timedOut();
                if (t.found()) {
                    add(ctx, t.endpoint(), trusted && t.allHttps(), out);
                }
                details.add(qname + " -> " + target + ":" + best.port() + ", " + t.summary());
            }
        } catch (DnsException e) {
            ctx.noteDnsFailure(e);
            timedOut |= e.deadlinePassed();
            details.add(e.getMessage());
        }
        String detail = String.join("; ", details);
        if (out.isEmpty() && timedOut) {
            return SourceOutcome.timedOut(detail);
        }
        return SourceOutcome.of(List.of(), out, null, List.of(), detail);
    }

    private static void add(LookupContext ctx, URI url, boolean trusted, List<ServiceCandidate> out) {
        String u = WellKnown.https(url).toString();
        if (out.stream().noneMatch(c -> c.url().equals(u))) {
            out.add(new ServiceCandidate(Service.JMAP, u, ctx.email().address(), "%EMAILADDRESS%", List.of(),
                    SourceName.JMAP, trusted));
        }
    }
}
