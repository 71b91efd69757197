package org.mailsetup.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;
import org.mailsetup.ProviderIndex;
import org.mailsetup.Service;
import org.mailsetup.ServiceSettings;
import org.mailsetup.SourceName;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsClient;
import org.mailsetup.internal.dns.DnsException;
import org.mailsetup.internal.dns.MxRecord;
import org.mailsetup.internal.dns.SrvRecord;
import org.mailsetup.internal.http.HttpFetcher;
import org.mailsetup.internal.http.HttpResult;
import org.mailsetup.internal.httpprobe.HttpServiceProber;
import org.mailsetup.internal.net.Dialer;
import org.mailsetup.internal.net.NetworkPolicy;

/** How a lookup merges, probes and ranks contacts, calendars and JMAP endpoints, with fake sources and HTTP. */
class ServiceDiscoveryTest {

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    /** URLs asked, and the ones that answer as CalDAV (every other one answers 404). */
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> calDav = Collections.synchronizedSet(new java.util.HashSet<>());
    private final HttpFetcher http = (request, deadline) -> {
        asked.add(request.method() + " " + request.url());
        boolean dav = calDav.contains(request.url().toString());
        return new HttpResult(request.url(), dav ? 200 : 404, null, new byte[0], List.of(request.url()), true,
                dav ? Map.of("dav", List.of("1, calendar-access")) : Map.of(), "192.0.2.1",
                new HttpResult.Tls("TLSv1.3", "TLS_AES_128_GCM_SHA256", "CN=x", "CN=ca", "2030-01-01T00:00:00Z"));
    };

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private DiscoveryResult run(List<Source> sources, Set<Service> services) {
        LookupContext ctx = new LookupContext(EmailAddress.parse("alice@example.org"), Deadline.after(Duration.ofSeconds(5)),
                Dialer.create(NetworkPolicy.publicOnly(), new NoDns()), null, ProviderIndex.empty(),
                DiscoverySettings.defaults());
        return new Discovery(sources, Set.of(), null, new HttpServiceProber(http), threads).run(ctx, true, services);
    }

    private static Source source(SourceName name, ServiceCandidate... found) {
        return new Source() {
            public SourceName name() {
                return name;
            }

            public SourceOutcome discover(LookupContext c) {
                return SourceOutcome.of(List.of(), List.of(found), null, List.of(), "test");
            }
        };
    }

    private static ServiceCandidate cal(String url, SourceName source, boolean trusted) {
        return new ServiceCandidate(Service.CALENDARS, url, "alice@example.org", "%EMAILADDRESS%", List.of(), source, trusted);
    }

    @Test
    void verifiedBeforeUnverifiedThenTrustedThenMoreSourcesAndSameUrlsMerge() {
        calDav.add("https://a.example.org/");
        calDav.add("https://b.example.org/");
        List<Source> sources = List.of(
                source(SourceName.CALDAV, cal("https://a.example.org/", SourceName.CALDAV, false),
                        cal("https://dead.example.org/", SourceName.CALDAV, true)),
                source(SourceName.AUTOCONFIG, cal("https://b.example.org/", SourceName.AUTOCONFIG, true)),
                source(SourceName.ISPDB, cal("https://a.example.org/", SourceName.ISPDB, false)));

        DiscoveryResult r = run(sources, Set.of(Service.MAIL, Service.CALENDARS));

        assertThat(r.calendars()).extracting(ServiceSettings::url, ServiceSettings::verified, ServiceSettings::trusted)
                .containsExactly(tuple("https://b.example.org/", true, true), tuple("https://a.example.org/", true, false),
                        tuple("https://dead.example.org/", false, true));
        assertThat(r.calendars().get(1).foundBy()).containsExactlyInAnyOrder(SourceName.CALDAV, SourceName.ISPDB);
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("calendars https://dead.example.org/ failed verification: not CalDAV"));
    }

    @Test
    void endpointsOfServicesTheLookupDoesNotCoverAreDropped() {
        calDav.add("https://a.example.org/");
        DiscoveryResult r = run(List.of(source(SourceName.AUTOCONFIG, cal("https://a.example.org/", SourceName.AUTOCONFIG, true))),
                Set.of(Service.MAIL));

        assertThat(r.calendars()).isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void aServiceStopsProbingOnceItsBestEndpointIsVerifiedAndTrusted() {
        calDav.add("https://best.example.org/");
        List<Source> sources = List.of(source(SourceName.PROVIDER_DB,
                cal("https://best.example.org/", SourceName.PROVIDER_DB, true)));
        List<Source> late = new ArrayList<>(sources);
        late.add(new Source() {
            public SourceName name() {
                return SourceName.CALDAV;
            }

            public SourceOutcome discover(LookupContext c) throws InterruptedException {
                Thread.sleep(300);
                return SourceOutcome.of(List.of(), List.of(cal("https://late.example.org/", SourceName.CALDAV, false)),
                        null, List.of(), "late");
            }
        });

        DiscoveryResult r = run(late, Set.of(Service.MAIL, Service.CALENDARS));

        assertThat(r.calendars()).extracting(ServiceSettings::url).containsExactly("https://best.example.org/", "https://late.example.org/");
        assertThat(r.calendars().get(1).notProbed()).isEqualTo("not needed: a better verified answer was found first");
        assertThat(asked).noneMatch(a -> a.contains("late"));
    }

    private static final class NoDns implements DnsClient {
        public DnsAnswer<MxRecord> mx(String domain, Deadline d) {
            return new DnsAnswer<>(DnsAnswer.Status.OK, List.of(new MxRecord(10, "mx.example.org")), false, 300);
        }

        public DnsAnswer<SrvRecord> srv(String name, Deadline d) throws DnsException {
            throw new DnsException("not used");
        }

        public DnsAnswer<String> txt(String name, Deadline d) throws DnsException {
            throw new DnsException("not used");
        }

        public DnsAnswer<InetAddress> addresses(String host, Deadline d) throws DnsException {
            throw new DnsException("not used");
        }
    }
}
