package org.mailsetup.internal.discovery;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.mailsetup.EmailAddress;
import org.mailsetup.ProviderIndex;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsClient;
import org.mailsetup.internal.dns.DnsException;
import org.mailsetup.internal.dns.MxRecord;
import org.mailsetup.internal.http.HttpFetcher;
import org.mailsetup.internal.net.Dialer;

/**
 * Everything a source needs for one lookup. Shared by all sources of that lookup; thread-safe. Its dialer
 * pins the first address answer of each name, so every source, fetch and probe of the lookup sees one DNS
 * view; its executor runs the lookup's side tasks and is shut down with the lookup, cancelling them.
 */
public final class LookupContext implements AutoCloseable {

    private final EmailAddress email;
    private final Deadline deadline;
    private final Dialer dialer;
    private final HttpFetcher http;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ProviderIndex providers;
    private final DiscoverySettings settings;
    private final AtomicLong minTtlSeconds = new AtomicLong(Long.MAX_VALUE);
    private final Object mxLock = new Object();
    private DnsAnswer<MxRecord> mx;
    private DnsException mxFailure;
    private final AtomicReference<DnsException> dnsFailure = new AtomicReference<>();

    /**
     * @param dialer the dialer for lookups; this lookup uses its own {@link Dialer#forLookup()} view of it
     * @param http   fetches through that view (null when no source fetches)
     */
    public LookupContext(EmailAddress email, Deadline deadline, Dialer dialer, HttpFetcher http,
                         ProviderIndex providers, DiscoverySettings settings) {
        this.email = email;
        this.deadline = deadline;
        this.dialer = dialer.forLookup();
        this.http = http == null ? null : http.using(this.dialer);
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

    /** The lookup's resolver: address answers are pinned (see {@link Dialer#forLookup()}). */
    public DnsClient dns() {
        return dialer.dns();
    }

    /** The lookup's door to the network, for probes. */
    public Dialer dialer() {
        return dialer;
    }

    /** Runs a source's concurrent sub-tasks; shut down (interrupting them) when the lookup ends. */
    public ExecutorService executor() {
        return threads;
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
                    mx = dns().mx(domain(), deadline);
                    noteTtl(mx.ttlSeconds());
                } catch (DnsException e) {
                    mxFailure = e;
                    noteDnsFailure(e);
                }
            }
            if (mxFailure != null) {
                throw mxFailure;
            }
            return mx;
        }
    }

    /**
     * Records that the resolver could not answer a question about the email domain (its MX, SRV or address
     * records); the first such failure explains an empty answer. A passed deadline is not the resolver's fault
     * and is not recorded.
     */
    public void noteDnsFailure(DnsException e) {
        if (!e.deadlinePassed()) {
            dnsFailure.compareAndSet(null, e);
        }
    }

    /** The first resolver failure noted for this lookup, or null. */
    public DnsException dnsFailure() {
        return dnsFailure.get();
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

    /** Ends the lookup: cancels every task still running on {@link #executor()}. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
