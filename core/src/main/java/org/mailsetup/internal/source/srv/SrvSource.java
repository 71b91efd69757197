package org.mailsetup.internal.source.srv;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.mailsetup.Endpoint;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.SourceName;
import org.mailsetup.config.HostNames;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.RegistrableDomains;
import org.mailsetup.internal.discovery.Candidate;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.discovery.Source;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsException;
import org.mailsetup.internal.dns.SrvRecord;
import org.mailsetup.internal.source.DnsAnswers;

/**
 * Mail server settings from DNS SRV records: RFC 6186 (IMAP, POP3, submission) and RFC 8314 (their
 * implicit-TLS variants). All six services are queried at once. A target inside the email domain's
 * registrable domain ({@link RegistrableDomains}), or
 * an answer validated with DNSSEC, is trusted; anything else could have been planted by whoever can
 * spoof the domain's DNS, so it is only a hint.
 */
public final class SrvSource implements Source {

    /** The RFC 6186 / RFC 8314 service labels, in the order their candidates are listed. */
    enum Service {
        IMAPS("_imaps", Protocol.IMAP, Security.TLS),
        // RFC 6186 allows plain IMAP on 143 but clients must use STARTTLS there; offering plain is never safe.
        IMAP("_imap", Protocol.IMAP, Security.STARTTLS),
        POP3S("_pop3s", Protocol.POP3, Security.TLS),
        POP3("_pop3", Protocol.POP3, Security.STARTTLS),
        SUBMISSIONS("_submissions", Protocol.SMTP, Security.TLS),
        SUBMISSION("_submission", Protocol.SMTP, Security.STARTTLS);

        final String label;
        final Protocol protocol;
        final Security security;

        Service(String label, Protocol protocol, Security security) {
            this.label = label;
            this.protocol = protocol;
            this.security = security;
        }

        String queryName(String domain) {
            return label + "._tcp." + domain;
        }
    }

    /** RFC 2782 order: lower priority first; within a priority, heavier first (deterministic, not random). */
    public static final Comparator<SrvRecord> RFC2782_ORDER = Comparator.comparingInt(SrvRecord::priority)
            .thenComparing(Comparator.comparingInt(SrvRecord::weight).reversed());

    @Override
    public SourceName name() {
        return SourceName.SRV;
    }

    @Override
    public SourceOutcome discover(LookupContext ctx) throws Exception {
        String domain = ctx.domain();
        Deadline deadline = ctx.deadline();
        Map<Service, Future<DnsAnswer<SrvRecord>>> pending = new LinkedHashMap<>();
        for (Service s : Service.values()) {
            pending.put(s, ctx.executor().submit(() -> ctx.dns().srv(s.queryName(domain), deadline)));
        }
        List<Candidate> candidates = new ArrayList<>();
        Set<Endpoint> seen = new LinkedHashSet<>();
        List<String> warnings = new ArrayList<>();
        List<String> found = new ArrayList<>();
        List<String> notOffered = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        boolean resolverFailed = false;
        int used = 0;
        List<String> dropped = new ArrayList<>();
        for (Map.Entry<Service, Future<DnsAnswer<SrvRecord>>> e : pending.entrySet()) {
            Service service = e.getKey();
            String qname = service.queryName(domain);
            DnsAnswer<SrvRecord> answer;
            try {
                answer = DnsAnswers.await(e.getValue(), deadline, qname);
            } catch (DnsException failure) {
                failures.add(service.label);
                warnings.add(failure.getMessage());
                ctx.noteDnsFailure(failure);
                resolverFailed |= !failure.deadlinePassed();
                continue;
            }
            ctx.noteTtl(answer.ttlSeconds());
            List<SrvRecord> records = answer.records();
            if (records.size() == 1 && records.get(0).target().isEmpty()) {
                notOffered.add(service.label);
                continue;
            }
            int before = used;
            for (SrvRecord r : records.stream().sorted(RFC2782_ORDER).toList()) {
                String target = r.target();
                // "." only has a meaning as the sole record (RFC 2782).
                String unusable = target.isEmpty() ? "a \".\" target listed among other records"
                        : !HostNames.isValid(target) ? "invalid target host name '" + target + "'"
                        : r.port() == 0 ? "target " + target + " with port 0"
                        : null;
                if (unusable != null) {
                    warnings.add(qname + ": ignored " + unusable);
                    dropped.add(service.label + ": " + unusable);
                    continue;
                }
                used++;
                boolean trusted = RegistrableDomains.sameOwner(target, domain) || answer.authenticated();
                Candidate c = new Candidate(service.protocol, target, r.port(), service.security,
                        ctx.email().address(), List.of(), SourceName.SRV, trusted);
                if (seen.add(c.endpoint())) {
                    candidates.add(c);
                }
            }
            if (used > before) {
                found.add(service.label);
            }
        }
        String notOfferedNote = notOffered.isEmpty() ? ""
                : "; not offered (target \".\"): " + String.join(", ", notOffered);
        if (candidates.isEmpty() && !failures.isEmpty()) {
            // Records may exist behind the failed questions: nothing here says "empty".
            String detail = failures.size() == Service.values().length ? "every SRV lookup failed: " + warnings.getFirst()
                    : "SRV lookups failed for " + String.join(", ", failures) + notOfferedNote;
            return resolverFailed ? new SourceOutcome.Failed(detail, warnings) : SourceOutcome.timedOut(detail);
        }
        if (candidates.isEmpty() && !dropped.isEmpty()) {
            String detail = dropped.size() + " SRV record" + (dropped.size() == 1 ? "" : "s")
                    + " found, none usable: " + String.join("; ", dropped) + notOfferedNote;
            return SourceOutcome.of(List.of(), null, warnings, detail);
        }
        if (candidates.isEmpty()) {
            String detail = (notOffered.isEmpty() ? "no SRV records" : "no usable SRV records") + notOfferedNote;
            return SourceOutcome.of(List.of(), null, warnings, detail);
        }
        String detail = used + " SRV record" + (used == 1 ? "" : "s") + " (" + String.join(", ", found) + ")"
                + notOfferedNote;
        return SourceOutcome.of(candidates, null, warnings, detail);
    }
}
