package org.mailsetup.internal.discovery;

import java.util.concurrent.atomic.AtomicLong;
import org.mailsetup.EmailAddress;
import org.mailsetup.ProviderIndex;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsClient;
import org.mailsetup.internal.dns.DnsException;
import org.mailsetup.internal.dns.MxRecord;
import org.mailsetup.internal.http.HttpFetcher;

/** Everything a source needs for one lookup. Shared by all sources of that lookup; thread-safe. */
public final class LookupContext {

    private final EmailAddress email;
    private final Deadline deadline;
    private final DnsClient dns;
    private final HttpFetcher http;
    private final ProviderIndex providers;
    private final DiscoverySettings settings;
    private final AtomicLong minTtlSeconds = new AtomicLong(Long.MAX_VALUE);
    private final Object mxLock = new Object();
    private DnsAnswer<MxRecord> mx;
    private DnsException mxFailure;

    public LookupContext(EmailAddress email, Deadline deadline, DnsClient dns, HttpFetcher http,
                         ProviderIndex providers, DiscoverySettings settings) {
        this.email = email;
        this.deadline = deadline;
        this.dns = dns;
        this.http = http;
        this.providers = providers;
        this.settings = settings;
    }

    public EmailAddress email() {
        return email;
    }

    /** The email domain, lower-case A-label. */
    public String domain() {
        return email.domain();
    }

    public Deadline deadline() {
        return deadline;
    }

    public DnsClient dns() {
        return dns;
    }

    public HttpFetcher http() {
        return http;
    }

    public ProviderIndex providers() {
        return providers;
    }

    public DiscoverySettings settings() {
        return settings;
    }

    /** The email domain's MX answer, queried once per lookup and shared by every source that needs it. */
    public DnsAnswer<MxRecord> mx() throws DnsException {
        synchronized (mxLock) {
            if (mx == null && mxFailure == null) {
                try {
                    mx = dns.mx(domain(), deadline);
                    noteTtl(mx.ttlSeconds());
                } catch (DnsException e) {
                    mxFailure = e;
                }
            }
            if (mxFailure != null) {
                throw mxFailure;
            }
            return mx;
        }
    }

    /** Records a DNS TTL an answer depended on; the result is cached no longer than the smallest. */
    public void noteTtl(long seconds) {
        if (seconds >= 0) {
            minTtlSeconds.accumulateAndGet(seconds, Math::min);
        }
    }

    /** The smallest TTL noted, or -1 when none was. */
    public long minTtlSeconds() {
        long v = minTtlSeconds.get();
        return v == Long.MAX_VALUE ? -1 : v;
    }
}
