package org.mailsetup.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;
import org.mailsetup.Endpoint;
import org.mailsetup.LookupError;
import org.mailsetup.ProbeReport;
import org.mailsetup.Protocol;
import org.mailsetup.ProviderIndex;
import org.mailsetup.Security;
import org.mailsetup.ServerSettings;
import org.mailsetup.SourceName;
import org.mailsetup.SourceStatus;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsClient;
import org.mailsetup.internal.dns.DnsException;
import org.mailsetup.internal.dns.MxRecord;
import org.mailsetup.internal.dns.SrvRecord;
import org.mailsetup.internal.net.Dialer;
import org.mailsetup.internal.net.NetworkPolicy;
import org.mailsetup.internal.probe.Prober;

class DiscoveryTest {

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private DnsAnswer<MxRecord> mxAnswer = new DnsAnswer<>(DnsAnswer.Status.OK,
            List.of(new MxRecord(10, "mx.example.org")), false, 300);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    // --- concurrency and the deadline ---

    @Test
    void sourcesRunConcurrently() {
        var a = source(SourceName.PROVIDER_DB, 1_000, imap("imap.example.org", 993, Security.TLS, SourceName.PROVIDER_DB, true));
        var b = source(SourceName.SRV, 1_000, smtp("smtp.example.org", 465, Security.TLS, SourceName.SRV, true));
        DiscoveryResult r = run(List.of(a, b), null, Duration.ofSeconds(5));
        // One after the other they would need 2 s; the margin is for slow, shared CI machines.
        assertThat(r.elapsedMs()).isGreaterThanOrEqualTo(1_000).isLessThan(1_800);
        assertThat(r.incoming()).hasSize(1);
        assertThat(r.outgoing()).hasSize(1);
    }

    @Test
    void slowSourceTimesOutAndTheAnswerComesAtTheDeadline() {
        var fast = source(SourceName.PROVIDER_DB, 0, imap("imap.example.org", 993, Security.TLS, SourceName.PROVIDER_DB, true));
        var slow = source(SourceName.AUTOCONFIG, 10_000, imap("other.example.org", 993, Security.TLS, SourceName.AUTOCONFIG, true));
        long t0 = System.nanoTime();
        DiscoveryResult r = run(List.of(fast, slow), null, Duration.ofMillis(500));
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertThat(took).isBetween(450L, 1_000L);
        assertThat(r.source(SourceName.AUTOCONFIG).orElseThrow().status()).isEqualTo(SourceStatus.TIMEOUT);
        assertThat(r.source(SourceName.PROVIDER_DB).orElseThrow().status()).isEqualTo(SourceStatus.FOUND);
        assertThat(r.incoming()).extracting(ServerSettings::host).containsExactly("imap.example.org");
        assertThat(r.error()).isNull();
    }

    @Test
    void failingSourceIsReportedWithItsReason() {
        Source broken = new Source() {
            public SourceName name() {
                return SourceName.ISPDB;
            }

            public SourceOutcome discover(LookupContext c) throws Exception {
                throw new java.io.IOException("connection reset by peer");
            }
        };
        DiscoveryResult r = run(List.of(broken), null, Duration.ofSeconds(2));
        assertThat(r.source(SourceName.ISPDB).orElseThrow().status()).isEqualTo(SourceStatus.FAILED);
        assertThat(r.source(SourceName.ISPDB).orElseThrow().detail()).isEqualTo("connection reset by peer");
        assertThat(r.error().code()).isEqualTo(LookupError.Code.NOT_FOUND);
    }

    @Test
    void sourceThatRanOutOfTimeIsReportedAsTimeout() {
        Source late = new Source() {
            public SourceName name() {
                return SourceName.ISPDB;
            }

            public SourceOutcome discover(LookupContext c) {
                return SourceOutcome.timedOut("https://ispdb.example/example.org: timed out");
            }
        };
        DiscoveryResult r = run(List.of(late), null, Duration.ofSeconds(2));
        assertThat(r.source(SourceName.ISPDB).orElseThrow().status()).isEqualTo(SourceStatus.TIMEOUT);
        assertThat(r.error().code()).isEqualTo(LookupError.Code.TIMEOUT);
    }

    @Test
    void disabledSourceIsSkippedAndNeverRun() {
        AtomicInteger calls = new AtomicInteger();
        Source s = new Source() {
            public SourceName name() {
                return SourceName.GUESS;
            }

            public SourceOutcome discover(LookupContext c) {
                calls.incrementAndGet();
                return SourceOutcome.empty("x");
            }
        };
        DiscoveryResult r = new Discovery(List.of(s), Set.of(SourceName.GUESS), null, threads).run(context(Duration.ofSeconds(1)));
        assertThat(calls).hasValue(0);
        assertThat(r.source(SourceName.GUESS).orElseThrow().status()).isEqualTo(SourceStatus.SKIPPED);
    }

    // --- merging and ranking ---

    @Test
    void sameSettingFromTwoSourcesIsOneAnswerWithBothSources() {
        var a = source(SourceName.PROVIDER_DB, 0, imap("imap.example.org", 993, Security.TLS, SourceName.PROVIDER_DB, true));
        var b = source(SourceName.SRV, 0, imap("imap.example.org", 993, Security.TLS, SourceName.SRV, false));
        DiscoveryResult r = run(List.of(a, b), null, Duration.ofSeconds(2));
        assertThat(r.incoming()).hasSize(1);
        assertThat(r.incoming().get(0).foundBy()).containsExactly(SourceName.PROVIDER_DB, SourceName.SRV);
        assertThat(r.incoming().get(0).trusted()).isTrue();
    }

    @Test
    void usernamesKeepTheSourcesPlaceholders() {
        var config = source(SourceName.PROVIDER_DB, 0, new Candidate(Protocol.IMAP, "imap.example.org", 993,
                Security.TLS, "alice", "%EMAILLOCALPART%", List.of(), SourceName.PROVIDER_DB, true));
        var srv = source(SourceName.SRV, 0, smtp("smtp.example.org", 465, Security.TLS, SourceName.SRV, true),
                new Candidate(Protocol.POP3, "pop.example.org", 995, Security.TLS, "alice", List.of(),
                        SourceName.SRV, true),
                new Candidate(Protocol.IMAP, "imap.other.org", 993, Security.TLS, "alice@other.org", List.of(),
                        SourceName.SRV, true));
        DiscoveryResult r = run(List.of(config, srv), null, Duration.ofSeconds(2));

        assertThat(r.incoming()).extracting(ServerSettings::host, ServerSettings::username,
                ServerSettings::usernameTemplate).containsExactly(
                tuple("imap.example.org", "alice", "%EMAILLOCALPART%"),
                tuple("imap.other.org", "alice@other.org", "alice@other.org"),
                tuple("pop.example.org", "alice", "%EMAILLOCALPART%"));
        // A literal username that is the address itself stands for every address of the domain.
        assertThat(r.outgoing().get(0).usernameTemplate()).isEqualTo("%EMAILADDRESS%");
    }

    @Test
    void authenticationIsTheSourcesElseWhatTheVerifiedServerOffered() {
        var db = source(SourceName.PROVIDER_DB, 0, new Candidate(Protocol.IMAP, "imap.example.org", 993,
                Security.TLS, "alice@example.org", List.of("OAuth2"), SourceName.PROVIDER_DB, true));
        var srv = source(SourceName.SRV, 0, smtp("smtp.example.org", 465, Security.TLS, SourceName.SRV, true));
        DiscoveryResult r = run(List.of(db, srv), (key, deadline) -> ok(), Duration.ofSeconds(2));

        assertThat(r.bestIncoming().orElseThrow().auth()).containsExactly("OAuth2");
        assertThat(r.bestOutgoing().orElseThrow().auth()).containsExactly("password-cleartext");
    }

    @Test
    void rankingFollowsTheDocumentedRules() {
        var s = source(SourceName.AUTOCONFIG, 0,
                imap("plain.example.org", 143, Security.PLAIN, SourceName.AUTOCONFIG, true),
                pop3("pop.example.org", 995, Security.TLS, SourceName.AUTOCONFIG, true),
                imap("starttls.example.org", 143, Security.STARTTLS, SourceName.AUTOCONFIG, true),
                imap("untrusted.example.org", 993, Security.TLS, SourceName.AUTOCONFIG, false),
                imap("tls.example.org", 993, Security.TLS, SourceName.AUTOCONFIG, true),
                smtp("smtp.example.org", 25, Security.STARTTLS, SourceName.AUTOCONFIG, true),
                smtp("smtp.example.org", 587, Security.STARTTLS, SourceName.AUTOCONFIG, true),
                smtp("smtp.example.org", 465, Security.TLS, SourceName.AUTOCONFIG, true));
        DiscoveryResult r = run(List.of(s), null, Duration.ofSeconds(2));
        assertThat(r.incoming()).extracting(ServerSettings::host).containsExactly(
                "tls.example.org", "pop.example.org", "starttls.example.org", "plain.example.org", "untrusted.example.org");
        assertThat(r.outgoing()).extracting(ServerSettings::port).containsExactly(465, 587, 25);
        assertThat(r.warnings()).anyMatch(w -> w.contains("plain.example.org") && w.contains("unencrypted"));
    }

    @Test
    void agreementBetweenSourcesRanksHigher() {
        var a = source(SourceName.AUTOCONFIG, 0,
                imap("one.example.org", 993, Security.TLS, SourceName.AUTOCONFIG, true),
                imap("two.example.org", 993, Security.TLS, SourceName.AUTOCONFIG, true));
        var b = source(SourceName.SRV, 0, imap("two.example.org", 993, Security.TLS, SourceName.SRV, true));
        DiscoveryResult r = run(List.of(a, b), null, Duration.ofSeconds(2));
        assertThat(r.incoming()).extracting(ServerSettings::host).containsExactly("two.example.org", "one.example.org");
    }

    // --- verification ---

    @Test
    void staleSettingRanksBelowTheOneThatWorks() {
        var s = source(SourceName.AUTOCONFIG, 0, imap("mail.example.org", 143, Security.STARTTLS, SourceName.AUTOCONFIG, true));
        var g = source(SourceName.GUESS, 0, imap("mail.example.org", 993, Security.TLS, SourceName.GUESS, false));
        FakeProber prober = new FakeProber()
                .answer("mail.example.org", 143, fail("server does not offer STARTTLS"))
                .answer("mail.example.org", 993, ok());
        DiscoveryResult r = run(List.of(s, g), prober, Duration.ofSeconds(2));
        assertThat(r.incoming()).extracting(ServerSettings::port).containsExactly(993, 143);
        assertThat(r.incoming().get(0).verified()).isTrue();
        assertThat(r.incoming().get(1).verified()).isFalse();
        assertThat(r.incoming().get(1).probe().failure()).isEqualTo("server does not offer STARTTLS");
        assertThat(r.warnings()).anyMatch(w -> w.contains("143") && w.contains("does not offer STARTTLS"));
    }

    @Test
    void guessesBecomeAnswersOnlyWhenVerified() {
        var g = source(SourceName.GUESS, 0,
                imap("imap.example.org", 993, Security.TLS, SourceName.GUESS, false),
                imap("mail.example.org", 993, Security.TLS, SourceName.GUESS, false));
        FakeProber prober = new FakeProber()
                .answer("imap.example.org", 993, fail("connection refused"))
                .answer("mail.example.org", 993, ok());
        DiscoveryResult verified = run(List.of(g), prober, Duration.ofSeconds(2));
        assertThat(verified.incoming()).extracting(ServerSettings::host).containsExactly("mail.example.org");

        DiscoveryResult unverified = run(List.of(g), null, Duration.ofSeconds(2));
        assertThat(unverified.incoming()).extracting(ServerSettings::host)
                .containsExactlyInAnyOrder("imap.example.org", "mail.example.org");
        assertThat(unverified.incoming()).noneMatch(ServerSettings::verified);
    }

    @Test
    void plainSettingsAreNeverProbedNorVerified() {
        var s = source(SourceName.AUTOCONFIG, 0, imap("mail.example.org", 143, Security.PLAIN, SourceName.AUTOCONFIG, true));
        FakeProber prober = new FakeProber();
        DiscoveryResult r = run(List.of(s), prober, Duration.ofSeconds(2));
        assertThat(prober.calls).isEmpty();
        assertThat(r.incoming().get(0).verified()).isFalse();
    }

    @Test
    void stopsEarlyOnceBothDirectionsHaveAVerifiedTrustedAnswer() {
        var db = source(SourceName.PROVIDER_DB, 0,
                imap("imap.example.org", 993, Security.TLS, SourceName.PROVIDER_DB, true),
                smtp("smtp.example.org", 465, Security.TLS, SourceName.PROVIDER_DB, true));
        var slow = source(SourceName.AUTODISCOVER, 10_000, imap("x.example.org", 993, Security.TLS, SourceName.AUTODISCOVER, true));
        FakeProber prober = new FakeProber().answer("imap.example.org", 993, ok()).answer("smtp.example.org", 465, ok());
        DiscoveryResult r = run(List.of(db, slow), prober, Duration.ofSeconds(5));
        assertThat(r.elapsedMs()).isLessThan(3_000);
        assertThat(r.source(SourceName.AUTODISCOVER).orElseThrow().status()).isEqualTo(SourceStatus.SKIPPED);
        assertThat(r.incoming().get(0).verified()).isTrue();
    }

    @Test
    void verifiedGuessesEndTheLookupOnceEverySourceHasAnswered() {
        var g = source(SourceName.GUESS, 0,
                imap("mail.example.org", 993, Security.TLS, SourceName.GUESS, false),
                imap("mail.example.org", 143, Security.STARTTLS, SourceName.GUESS, false),
                smtp("mail.example.org", 465, Security.TLS, SourceName.GUESS, false));
        // A slow STARTTLS probe could not outrank the verified implicit-TLS answer, so nobody waits for it.
        FakeProber prober = new FakeProber().answer("mail.example.org", 993, ok())
                .answer("mail.example.org", 465, ok()).slow(143, 4_000);
        DiscoveryResult r = run(List.of(g), prober, Duration.ofSeconds(6));
        assertThat(r.elapsedMs()).isLessThan(3_000);
        assertThat(r.incoming().get(0).port()).isEqualTo(993);
    }

    @Test
    void theAnswerIsReadyBeforeTheDeadline() {
        DiscoveryResult r = run(List.of(source(SourceName.AUTOCONFIG, 10_000)), null, Duration.ofMillis(600));
        assertThat(r.elapsedMs()).isLessThan(600);
    }

    // --- the network policy, with and without probes ---

    @Test
    void aHostTheNetworkPolicyRefusesIsNeverProbedAndRanksLast() {
        var db = source(SourceName.AUTOCONFIG, 0,
                imap("loop.example.org", 993, Security.TLS, SourceName.AUTOCONFIG, true),
                imap("imap.example.org", 993, Security.TLS, SourceName.AUTOCONFIG, true));
        var later = source(SourceName.SRV, 300, imap("loop.example.org", 143, Security.STARTTLS, SourceName.SRV, true));
        FakeProber prober = new FakeProber().refuse("loop.example.org").answer("imap.example.org", 993, ok());
        DiscoveryResult r = run(List.of(db, later), prober, Duration.ofSeconds(5));

        assertThat(r.incoming()).extracting(ServerSettings::host, ServerSettings::port)
                .containsExactly(tuple("imap.example.org", 993), tuple("loop.example.org", 993), tuple("loop.example.org", 143));
        assertThat(r.incoming().subList(1, 3)).allSatisfy(s ->
                assertThat(s.probe().failureKind()).isEqualTo(ProbeReport.FailureKind.REFUSED));
        // Once the host is known to be refused, nothing on it is dialled any more.
        assertThat(prober.calls).extracting(Endpoint::port).doesNotContain(143);
    }

    @Test
    void withoutProbesTheNetworkPolicyIsStillApplied() {
        var db = source(SourceName.AUTOCONFIG, 0,
                imap("loop.example.org", 993, Security.TLS, SourceName.AUTOCONFIG, true),
                imap("imap.example.org", 993, Security.TLS, SourceName.AUTOCONFIG, true));
        FakeProber prober = new FakeProber().refuse("loop.example.org");
        DiscoveryResult r = new Discovery(List.of(db), Set.of(), prober, threads).run(context(Duration.ofSeconds(5)), false);

        assertThat(prober.calls).isEmpty();
        assertThat(r.incoming()).extracting(ServerSettings::host).containsExactly("imap.example.org", "loop.example.org");
        assertThat(r.incoming().get(0).probe()).isNull();
        assertThat(r.incoming().get(1).probe().failureKind()).isEqualTo(ProbeReport.FailureKind.REFUSED);
        assertThat(r.warnings()).anyMatch(w -> w.contains("loop.example.org") && w.contains("refused by the network policy"));
    }

    @Test
    void aHostNotCheckedBeforeTheDeadlineCountsAsRefused() {
        var db = source(SourceName.AUTOCONFIG, 0, imap("slow.example.org", 993, Security.TLS, SourceName.AUTOCONFIG, true));
        FakeProber prober = new FakeProber().slowScreen("slow.example.org", 5_000);
        DiscoveryResult r = new Discovery(List.of(db), Set.of(), prober, threads).run(context(Duration.ofMillis(500)), false);

        assertThat(r.incoming().get(0).probe().failureKind()).isEqualTo(ProbeReport.FailureKind.REFUSED);
        assertThat(r.incoming().get(0).probe().failure()).contains("not checked");
    }

    @Test
    void probesAreLimitedPerHost() {
        List<Candidate> many = new ArrayList<>();
        for (int port = 1000; port < 1010; port++) {
            many.add(imap("one.example.org", port, Security.TLS, SourceName.AUTOCONFIG, true));
        }
        var s = source(SourceName.AUTOCONFIG, 0, many.toArray(Candidate[]::new));
        FakeProber prober = new FakeProber();
        prober.delayMs = 50;
        run(List.of(s), prober, Duration.ofSeconds(5));
        assertThat(prober.calls).hasSize(10);
        assertThat(prober.maxConcurrent.get()).isLessThanOrEqualTo(Discovery.MAX_PROBES_PER_HOST);
    }

    // --- errors ---

    @Test
    void missingDomainIsReportedAtOnce() {
        mxAnswer = new DnsAnswer<>(DnsAnswer.Status.NXDOMAIN, List.of(), false, 60);
        var slow = source(SourceName.AUTOCONFIG, 10_000);
        DiscoveryResult r = run(List.of(slow), null, Duration.ofSeconds(5));
        assertThat(r.error().code()).isEqualTo(LookupError.Code.DOMAIN_NOT_FOUND);
        assertThat(r.elapsedMs()).isLessThan(3_000);
    }

    @Test
    void nullMxMeansNoMailService() {
        mxAnswer = new DnsAnswer<>(DnsAnswer.Status.OK, List.of(new MxRecord(0, "")), false, 60);
        DiscoveryResult r = run(List.of(source(SourceName.AUTOCONFIG, 10_000)), null, Duration.ofSeconds(5));
        assertThat(r.error().code()).isEqualTo(LookupError.Code.NO_MAIL_SERVICE);
        assertThat(r.error().message()).contains("null MX");
        assertThat(r.elapsedMs()).isLessThan(3_000);
    }

    @Test
    void noMxAndNothingFoundMeansNoMailService() {
        mxAnswer = new DnsAnswer<>(DnsAnswer.Status.OK, List.of(), false, 60);
        DiscoveryResult r = run(List.of(source(SourceName.AUTOCONFIG, 0)), null, Duration.ofSeconds(2));
        assertThat(r.error().code()).isEqualTo(LookupError.Code.NO_MAIL_SERVICE);
    }

    @Test
    void nothingFoundBeforeTheDeadlineIsATimeout() {
        DiscoveryResult r = run(List.of(source(SourceName.AUTOCONFIG, 10_000)), null, Duration.ofMillis(300));
        assertThat(r.error().code()).isEqualTo(LookupError.Code.TIMEOUT);
    }

    // --- helpers ---

    private DiscoveryResult run(List<Source> sources, Prober prober, Duration timeout) {
        return new Discovery(sources, Set.of(), prober, threads).run(context(timeout));
    }

    private LookupContext context(Duration timeout) {
        return new LookupContext(EmailAddress.parse("alice@example.org"), Deadline.after(timeout),
                Dialer.create(NetworkPolicy.publicOnly(), new MxOnlyDns()),
                null, ProviderIndex.empty(), DiscoverySettings.defaults());
    }

    private static Source source(SourceName name, long delayMs, Candidate... found) {
        return new Source() {
            public SourceName name() {
                return name;
            }

            public SourceOutcome discover(LookupContext c) throws InterruptedException {
                Thread.sleep(delayMs);
                return found.length == 0 ? SourceOutcome.empty("nothing") : SourceOutcome.of(List.of(found), "test");
            }
        };
    }

    private static Candidate imap(String host, int port, Security sec, SourceName src, boolean trusted) {
        return new Candidate(Protocol.IMAP, host, port, sec, "alice@example.org", List.of(), src, trusted);
    }

    private static Candidate pop3(String host, int port, Security sec, SourceName src, boolean trusted) {
        return new Candidate(Protocol.POP3, host, port, sec, "alice@example.org", List.of(), src, trusted);
    }

    private static Candidate smtp(String host, int port, Security sec, SourceName src, boolean trusted) {
        return new Candidate(Protocol.SMTP, host, port, sec, "alice@example.org", List.of(), src, trusted);
    }

    private static ProbeReport ok() {
        return new ProbeReport(true, 5, "192.0.2.1", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "CN=x", "CN=ca",
                "2030-01-01", true, "* OK ready", List.of("IMAP4rev1"), List.of("PLAIN"),
                List.of("password-cleartext"), null, null);
    }

    private static ProbeReport refusal(String host) {
        return new ProbeReport(false, -1, null, null, null, null, null, null, false, null, List.of(), List.of(),
                List.of(), host + " resolves to [127.0.0.1], which is not a public address; refused by the network policy",
                ProbeReport.FailureKind.REFUSED);
    }

    private static ProbeReport fail(String why) {
        return new ProbeReport(false, 5, "192.0.2.1", null, null, null, null, null, false, null, List.of(), List.of(), List.of(),
                why, ProbeReport.FailureKind.CONCLUSIVE);
    }

    private final class MxOnlyDns implements DnsClient {
        public DnsAnswer<MxRecord> mx(String domain, Deadline d) {
            return mxAnswer;
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

    private static final class FakeProber implements Prober {
        final Map<String, ProbeReport> answers = new ConcurrentHashMap<>();
        final List<Endpoint> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        final Map<Integer, Long> slowPorts = new ConcurrentHashMap<>();
        final Set<String> refused = ConcurrentHashMap.newKeySet();
        final Map<String, Long> slowScreens = new ConcurrentHashMap<>();
        long delayMs;

        FakeProber slow(int port, long ms) {
            slowPorts.put(port, ms);
            return this;
        }

        FakeProber answer(String host, int port, ProbeReport report) {
            answers.put(host + ":" + port, report);
            return this;
        }

        /** The network policy refuses this host. */
        FakeProber refuse(String host) {
            refused.add(host);
            return this;
        }

        /** Checking this host against the network policy takes this long. */
        FakeProber slowScreen(String host, long ms) {
            slowScreens.put(host, ms);
            return this;
        }

        @Override
        public ProbeReport screen(String host, Deadline deadline) {
            try {
                Thread.sleep(slowScreens.getOrDefault(host, 0L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return refused.contains(host) ? refusal(host) : null;
        }

        @Override
        public ProbeReport probe(Endpoint target, Deadline deadline) {
            calls.add(target);
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                Thread.sleep(slowPorts.getOrDefault(target.port(), delayMs));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                concurrent.decrementAndGet();
            }
            if (refused.contains(target.host())) {
                return refusal(target.host()); // as the real prober does, before connecting
            }
            return answers.getOrDefault(target.host() + ":" + target.port(), fail("no answer scripted"));
        }
    }
}
