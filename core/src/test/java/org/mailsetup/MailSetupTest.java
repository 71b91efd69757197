package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.NoClientAccess;
import org.mailsetup.config.OAuth2Config;
import org.mailsetup.config.ProviderNote;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.testkit.FakeDnsServer;
import org.mailsetup.testkit.ScriptedMailServer;

/** The whole pipeline through the public API, against a fake DNS and scripted servers on loopback. */
class MailSetupTest {

    private FakeDnsServer dns;
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @BeforeEach
    void startDns() throws Exception {
        dns = new FakeDnsServer().start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeLater) {
            c.close();
        }
        dns.close();
    }

    private MailSetup.Builder builder() {
        return MailSetup.builder().dnsServer(dns.address()).allowNetwork("127.0.0.0/8")
                .timeout(Duration.ofSeconds(4));
    }

    private MailSetup build(MailSetup.Builder b) {
        MailSetup m = b.build();
        closeLater.add(m);
        return m;
    }

    @Test
    void invalidAddressIsAnErrorWithoutAnyNetwork() {
        DiscoveryResult r = build(builder()).lookupBlocking("not an address");
        assertThat(r.error().code()).isEqualTo(LookupError.Code.INVALID_EMAIL);
        assertThat(r.error().message()).contains("'@'");
        assertThat(r.sources()).isEmpty();
    }

    /**
     * The answer is due at the deadline even when the virtual threads that run sources and probes get no carrier
     * (under load, thousands of them are runnable): the lookup's own loop must not wait for one.
     */
    @Test
    void theAnswerComesAtTheDeadlineWhileEveryVirtualThreadCarrierIsBusy() throws Exception {
        dns.zone("busy.test").mx("busy.test", 10, "mx.busy.test");
        MailSetup m = build(builder().timeout(Duration.ofMillis(800)));
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        long spinUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        List<Thread> spinners = new ArrayList<>();
        for (int i = 0; i < carriers; i++) {
            // Busy without ever blocking: a virtual thread like this keeps its carrier.
            spinners.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                }
            }));
        }
        try {
            Thread.sleep(50);
            long t0 = System.nanoTime();
            DiscoveryResult r = m.lookupBlocking("jo@busy.test");
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(tookMs).as("answered %d ms after asking", tookMs).isLessThan(800 + 400);
            assertThat(r.error().code()).isEqualTo(LookupError.Code.TIMEOUT);
        } finally {
            for (Thread t : spinners) {
                t.join();
            }
        }
    }

    @Test
    void missingDomainIsReportedQuickly() {
        dns.nxdomain("nowhere.test");
        DiscoveryResult r = build(builder()).lookupBlocking("alice@nowhere.test");
        assertThat(r.error().code()).isEqualTo(LookupError.Code.DOMAIN_NOT_FOUND);
        assertThat(r.elapsedMs()).isLessThan(2_000);
    }

    @Test
    void missingDomainNeverSaysItTakesNoMail() {
        dns.nxdomain("nowhere.test");
        DiscoveryResult r = build(builder()).lookupBlocking("alice@nowhere.test");
        assertThat(r.error().message()).contains("does not exist").doesNotContain("takes no mail");
        assertThat(r.sources()).extracting(SourceReport::detail).noneMatch(d -> d != null && d.contains("takes no mail"));
    }

    /** Every name a lookup of an address at this domain asks the resolver about. */
    private static List<String> namesAskedFor(String domain) {
        List<String> names = new ArrayList<>(List.of(domain, "imap." + domain, "mail." + domain, "smtp." + domain,
                "pop." + domain, "pop3." + domain, "autoconfig." + domain, "autodiscover." + domain,
                "ua-auto-config." + domain, "_ua-auto-config." + domain));
        for (String label : List.of("_imaps", "_imap", "_pop3s", "_pop3", "_submissions", "_submission")) {
            names.add(label + "._tcp." + domain);
        }
        return names;
    }

    @Test
    void resolverFailureIsADnsFailureNotNotFound() {
        namesAskedFor("broken.test").forEach(dns::servfail);
        dns.servfail("ispdb.test");
        DiscoveryResult r = build(builder().verify(false).ispdbUrl(URI.create("https://ispdb.test/v1.1/")))
                .lookupBlocking("frank@broken.test");

        assertThat(r.error().code()).isEqualTo(LookupError.Code.DNS_FAILURE);
        assertThat(r.error().message()).contains("broken.test", "SERVFAIL");
        for (SourceName dependent : List.of(SourceName.MX, SourceName.SRV, SourceName.GUESS, SourceName.AUTOCONFIG,
                SourceName.ISPDB, SourceName.AUTODISCOVER, SourceName.PACC)) {
            assertThat(r.source(dependent).orElseThrow().status()).as("%s", dependent).isEqualTo(SourceStatus.FAILED);
        }
    }

    /**
     * The domain itself answers, but the resolver refuses the names that the web sources ask about: each of
     * them could not ask, which is no "nothing there".
     */
    @Test
    void aWebSourceWhoseHostTheResolverCannotAnswerForFailed() {
        dns.zone("half.test").mx("half.test", 10, "mx.half.test");
        for (String name : List.of("autoconfig.half.test", "autodiscover.half.test", "ua-auto-config.half.test",
                "ispdb.test")) {
            dns.refused(name);
        }
        DiscoveryResult r = build(builder().verify(false).ispdbUrl(URI.create("https://ispdb.test/v1.1/")))
                .lookupBlocking("ida@half.test");

        for (SourceName dependent : List.of(SourceName.AUTOCONFIG, SourceName.ISPDB, SourceName.AUTODISCOVER,
                SourceName.PACC)) {
            SourceReport report = r.source(dependent).orElseThrow();
            assertThat(report.status()).as("%s", dependent).isEqualTo(SourceStatus.FAILED);
            assertThat(report.detail()).as("%s", dependent).contains("REFUSED");
        }
        assertThat(r.source(SourceName.MX).orElseThrow().status()).isEqualTo(SourceStatus.EMPTY);
    }

    @Test
    void refusedMxQuestionIsADnsFailureEvenWhenTheRestIsEmpty() {
        dns.refused("refusing.test").zone("refusing.test");
        DiscoveryResult r = build(builder().verify(false)).lookupBlocking("gina@refusing.test");

        assertThat(r.error().code()).isEqualTo(LookupError.Code.DNS_FAILURE);
        assertThat(r.error().message()).contains("REFUSED");
        assertThat(r.source(SourceName.MX).orElseThrow().status()).isEqualTo(SourceStatus.FAILED);
    }

    @Test
    void aDnsFailureIsRememberedForSecondsOnly() throws InterruptedException {
        namesAskedFor("flaky.test").forEach(dns::servfail);
        MailSetup m = build(builder().verify(false));
        assertThat(m.lookupBlocking("hal@flaky.test").error().code()).isEqualTo(LookupError.Code.DNS_FAILURE);
        m.lookupBlocking("hal@flaky.test");
        assertThat(dns.queryCount("flaky.test", "MX")).as("shared for a moment").isEqualTo(1);

        long t0 = System.nanoTime();
        while (dns.queryCount("flaky.test", "MX") == 1 && System.nanoTime() - t0 < 10_000_000_000L) {
            Thread.sleep(250);
            m.lookupBlocking("hal@flaky.test");
        }
        assertThat(dns.queryCount("flaky.test", "MX")).as("asked again after a few seconds").isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThanOrEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void srvRecordsGiveTrustedSettingsWithoutVerification() {
        dns.mx("srv.test", 10, "mx.srv.test")
                .srv("_imaps._tcp.srv.test", 0, 1, 993, "imap.srv.test")
                .srv("_submissions._tcp.srv.test", 0, 1, 465, "smtp.srv.test")
                .a("imap.srv.test", "127.0.0.1").a("smtp.srv.test", "127.0.0.1");
        DiscoveryResult r = build(builder().verify(false)).lookupBlocking("Alice@SRV.test");

        assertThat(r.error()).isNull();
        assertThat(r.email()).isEqualTo("Alice@srv.test");
        ServerSettings in = r.bestIncoming().orElseThrow();
        assertThat(in.host()).isEqualTo("imap.srv.test");
        assertThat(in.port()).isEqualTo(993);
        assertThat(in.security()).isEqualTo(Security.TLS);
        assertThat(in.username()).isEqualTo("Alice@srv.test");
        assertThat(in.trusted()).isTrue();
        assertThat(in.verified()).isFalse();
        assertThat(in.foundBy()).contains(SourceName.SRV);
        assertThat(r.bestOutgoing().orElseThrow().port()).isEqualTo(465);
        assertThat(r.source(SourceName.SRV).orElseThrow().status()).isEqualTo(SourceStatus.FOUND);
        // Every mail source reports; the other services' sources run only in lookups that cover them.
        assertThat(r.sources()).extracting(SourceReport::name).containsExactlyElementsOf(
                java.util.Arrays.stream(SourceName.values()).filter(n -> n.service() == Service.MAIL).toList());
    }

    @Test
    void hostsAreCheckedAgainstTheNetworkPolicyWithoutVerification() {
        dns.mx("inside.test", 10, "mx.inside.test")
                .srv("_imaps._tcp.inside.test", 0, 1, 993, "imap.inside.test")
                .srv("_submissions._tcp.inside.test", 0, 1, 465, "smtp.inside.test")
                .a("imap.inside.test", "127.0.0.1").a("smtp.inside.test", "10.1.2.3");
        MailSetup m = build(builder().verify(false));
        DiscoveryResult r = m.lookupBlocking("alice@inside.test");

        assertThat(r.bestIncoming().orElseThrow().probe()).as("loopback is allowed here").isNull();
        ServerSettings out = r.bestOutgoing().orElseThrow();
        assertThat(out.probe().failureKind()).isEqualTo(ProbeReport.FailureKind.REFUSED);
        assertThat(out.verified()).isFalse();
        assertThat(m.checkAddresses("smtp.inside.test")).map(ProbeReport::failure).hasValueSatisfying(
                f -> assertThat(f).contains("10.1.2.3").contains("network policy"));
        assertThat(m.checkAddresses("imap.inside.test")).isEmpty();
    }

    @Test
    void providerDatabaseAnswersAndNamesTheProvider() {
        dns.mx("hosted.test", 10, "mx.hosted.test");
        ProviderIndex index = singleEntry("hosted.test", "Hosted Mail", "imap.hosted.test", "smtp.hosted.test");
        DiscoveryResult r = build(builder().verify(false).providers(index)).lookupBlocking("bob@hosted.test");
        assertThat(r.provider().id()).isEqualTo("hosted.test");
        assertThat(r.provider().name()).isEqualTo("Hosted Mail");
        assertThat(r.provider().notes()).extracting(ProviderNote::type).containsExactly("app-password");
        assertThat(r.provider().oauth2().issuer()).isEqualTo("accounts.hosted.test");
        assertThat(r.bestIncoming().orElseThrow().foundBy()).containsExactly(SourceName.PROVIDER_DB);
        assertThat(r.bestIncoming().orElseThrow().trusted()).isTrue();
    }

    @Test
    void domainHostedUnderATldThePublicSuffixListDoesNotKnowIsRecognisedByItsMx() {
        dns.mx("customer.example", 10, "mx1.mailhost.corp");
        ProviderIndex index = singleEntry("mailhost.corp", "Mailhost", "imap.mailhost.corp", "smtp.mailhost.corp");
        DiscoveryResult r = build(builder().verify(false).providers(index)).lookupBlocking("ivy@customer.example");

        assertThat(r.source(SourceName.MX).orElseThrow().status()).isEqualTo(SourceStatus.FOUND);
        assertThat(r.source(SourceName.MX).orElseThrow().detail()).contains("mailhost.corp");
        assertThat(r.bestIncoming().orElseThrow().host()).isEqualTo("imap.mailhost.corp");
        assertThat(r.bestIncoming().orElseThrow().foundBy()).contains(SourceName.MX);
    }

    @Test
    void aProviderDatabaseEntryOutlastsAResolverThatSaysNxdomainFirst() {
        dns.nxdomain("hosted.test");
        ProviderIndex entry = singleEntry("hosted.test", "Hosted Mail", "imap.hosted.test", "smtp.hosted.test");
        ProviderIndex slow = new ProviderIndex() {
            public Optional<ClientConfig> byDomain(String d) {
                try {
                    Thread.sleep(300); // answers after the NXDOMAIN has arrived
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return entry.byDomain(d);
            }

            public Optional<ClientConfig> byMxHost(String h) {
                return entry.byMxHost(h);
            }
        };
        DiscoveryResult r = build(builder().verify(false).providers(slow)).lookupBlocking("bob@hosted.test");

        assertThat(r.error()).isNull();
        assertThat(r.bestIncoming().orElseThrow().host()).isEqualTo("imap.hosted.test");
    }

    @Test
    void resultsAreCachedAndConcurrentLookupsShareOneDiscovery() {
        dns.mx("cache.test", 10, "mx.cache.test").srv("_imaps._tcp.cache.test", 0, 1, 993, "imap.cache.test")
                .a("imap.cache.test", "127.0.0.1");
        MailSetup m = build(builder().verify(false));
        List<CompletableFuture<DiscoveryResult>> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(m.lookup("carol@cache.test"));
        }
        all.forEach(CompletableFuture::join);
        m.lookupBlocking("carol@cache.test");
        assertThat(dns.queryCount("_imaps._tcp.cache.test", "SRV")).isEqualTo(1);

        m.clearCache();
        m.lookupBlocking("carol@cache.test");
        assertThat(dns.queryCount("_imaps._tcp.cache.test", "SRV")).isEqualTo(2);
    }

    @Test
    void deadlineIsKeptWhenDnsNeverAnswers() {
        for (String name : List.of("slow.test", "_imaps._tcp.slow.test", "_imap._tcp.slow.test",
                "_pop3s._tcp.slow.test", "_pop3._tcp.slow.test", "_submissions._tcp.slow.test",
                "_submission._tcp.slow.test", "imap.slow.test", "mail.slow.test", "smtp.slow.test",
                "pop.slow.test", "pop3.slow.test", "autoconfig.slow.test", "autodiscover.slow.test",
                "ua-auto-config.slow.test", "_ua-auto-config.slow.test", "autoconfig.thunderbird.net")) {
            dns.timeout(name);
        }
        long t0 = System.nanoTime();
        DiscoveryResult r = build(builder().timeout(Duration.ofMillis(800))).lookupBlocking("dave@slow.test");
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertThat(took).isLessThan(1_800);
        assertThat(r.error().code()).isEqualTo(LookupError.Code.TIMEOUT);
    }

    @Test
    void aTimedOutLookupIsNotRemembered() throws InterruptedException {
        dns.timeout("late.test");
        MailSetup m = build(builder().verify(false).timeout(Duration.ofMillis(150)));
        for (int round = 1; round <= 5; round++) {
            assertThat(m.lookupBlocking("erin@late.test").error().code()).isEqualTo(LookupError.Code.TIMEOUT);
            // The answer is due at the deadline, whether or not a loaded machine sent the query by then;
            // a lookup answered from memory would never send it.
            long t0 = System.nanoTime();
            while (dns.queryCount("late.test", "MX") < round && System.nanoTime() - t0 < 3_000_000_000L) {
                Thread.sleep(10);
            }
            assertThat(dns.queryCount("late.test", "MX")).as("round %d", round).isEqualTo(round);
        }
    }

    @Test
    void aTarpittedImplicitTlsPortDoesNotHoldTheVerifiedStartTlsAnswerUntilTheDeadline() throws Exception {
        ScriptedMailServer tarpit = started(ScriptedMailServer.builder().neverSpeak());
        ScriptedMailServer imap = started(ScriptedMailServer.builder()
                .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready")
                .expect("a1 STARTTLS")
                .send("a1 OK Begin TLS negotiation now.")
                .startTls(tls("imap.tarpit.test"))
                .expect("a2 CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
                .send("a2 OK done")
                .expect("a3 LOGOUT")
                .send("a3 OK bye"));
        dns.mx("tarpit.test", 10, "mx.tarpit.test")
                .srv("_imaps._tcp.tarpit.test", 0, 1, tarpit.port(), "imap.tarpit.test")
                .srv("_imap._tcp.tarpit.test", 0, 1, imap.port(), "imap.tarpit.test")
                .a("imap.tarpit.test", "127.0.0.1");
        Duration deadline = Duration.ofSeconds(10);

        DiscoveryResult r = build(builder().timeout(deadline).trustCertificates(List.of(CA.certificate())))
                .lookupBlocking("jo@tarpit.test");

        ServerSettings best = r.bestIncoming().orElseThrow();
        assertThat(best.security()).isEqualTo(Security.STARTTLS);
        assertThat(best.verified()).isTrue();
        ServerSettings silent = r.incoming().stream().filter(s -> s.security() == Security.TLS).findFirst().orElseThrow();
        assertThat(silent.verified()).isFalse();
        assertThat(silent.probe().failure()).contains("never answered the TLS ClientHello");
        // The silent-server budget plus a little, far below the deadline.
        assertThat(r.elapsedMs()).isLessThan(5_000);
    }

    @Test
    void aHostWithManyAddressesIsTriedOnTwoOfThemAndTheAnswerSaysSo() {
        dns.mx("scan.test", 10, "mx.scan.test").srv("_imaps._tcp.scan.test", 0, 1, 993, "many.scan.test");
        for (int i = 2; i <= 9; i++) {
            // Nothing listens there: every connection is refused at once.
            dns.a("many.scan.test", "127.0.0." + i).a("autoconfig.scan.test", "127.0.1." + i);
        }
        DiscoveryResult r = build(builder()).lookupBlocking("max@scan.test");

        ServerSettings s = r.incoming().stream().filter(x -> x.host().equals("many.scan.test")).findFirst().orElseThrow();
        assertThat(s.probe().failure()).contains("127.0.0.2:993", "127.0.0.3:993").doesNotContain("127.0.0.4");
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("scan limit: many.scan.test has 8 addresses"))
                .anyMatch(w -> w.startsWith("scan limit: autoconfig.scan.test has 8 addresses"));
        assertThat(r.source(SourceName.AUTOCONFIG).orElseThrow().detail())
                .contains("127.0.1.2").doesNotContain("127.0.1.4");
    }

    @Test
    void everyUnverifiedSettingSaysWhy() {
        dns.mx("plain.test", 10, "mx.plain.test")
                .srv("_imaps._tcp.plain.test", 0, 1, 993, "imap.plain.test")
                .a("imap.plain.test", "127.0.0.1");
        DiscoveryResult off = build(builder().verify(false)).lookupBlocking("kim@plain.test");
        assertThat(off.incoming()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.notProbed()).isEqualTo("verification is switched off"));
    }

    @Test
    void aBlackHoledDomainGivesTheSameAnswerInAboutTheSameTimeOnEveryRun() throws Exception {
        ScriptedMailServer hole = started(ScriptedMailServer.builder().neverSpeak());
        dns.mx("hole.test", 10, "mx.hole.test").a("mx.hole.test", "127.0.0.1").a("imap.hole.test", "127.0.0.1")
                .a("smtp.hole.test", "127.0.0.1");
        for (String label : List.of("_imaps", "_imap", "_pop3s", "_submissions", "_submission")) {
            dns.srv(label + "._tcp.hole.test", 0, 1, hole.port(), label.contains("sub") ? "smtp.hole.test" : "imap.hole.test");
        }
        MailSetup m = build(builder().timeout(Duration.ofSeconds(8)).cache(0, Duration.ZERO));
        m.lookupBlocking("warm-up@hole.test"); // the first lookup of a process also loads classes and TLS
        List<String> answers = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            DiscoveryResult r = m.lookupBlocking("lee@hole.test");
            times.add(r.elapsedMs());
            List<String> answer = new ArrayList<>();
            for (ServerSettings s : concat(r.incoming(), r.outgoing())) {
                String why = s.probe() != null ? s.probe().failure() : s.notProbed();
                assertThat(why).as("%s says why it is unverified", s.endpoint()).isNotBlank();
                answer.add(s.endpoint() + " " + s.verified() + " " + why.replaceAll("[0-9]+ ms", "N ms"));
            }
            answers.add(String.join("\n", answer) + " / " + r.error());
        }
        assertThat(answers).as("the same answer every run").containsOnly(answers.getFirst());
        long spread = times.stream().mapToLong(Long::longValue).max().orElseThrow()
                - times.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertThat(spread).as("answer times %s", times).isLessThan(1_000);
        assertThat(times).allMatch(t -> t < 6_000, "well before the 8 s deadline");
    }

    private static List<ServerSettings> concat(List<ServerSettings> a, List<ServerSettings> b) {
        List<ServerSettings> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void verifiedSettingsComeFromTheServersThemselves() throws Exception {
        ScriptedMailServer imap = started(ScriptedMailServer.builder()
                .implicitTls(tls("imap.verify.test"))
                .send("* OK ready")
                .expect("a1 CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2")
                .send("a1 OK done")
                .expect("a2 LOGOUT")
                .send("a2 OK bye"));
        ScriptedMailServer smtp = started(ScriptedMailServer.builder()
                .implicitTls(tls("smtp.verify.test"))
                .send("220 smtp.verify.test ESMTP")
                .expect("EHLO .*")
                .send("250-smtp.verify.test")
                .send("250 AUTH PLAIN LOGIN")
                .expect("QUIT")
                .send("221 bye"));
        dns.mx("verify.test", 10, "mx.verify.test")
                .srv("_imaps._tcp.verify.test", 0, 1, imap.port(), "imap.verify.test")
                .srv("_submissions._tcp.verify.test", 0, 1, smtp.port(), "smtp.verify.test")
                .a("imap.verify.test", "127.0.0.1").a("smtp.verify.test", "127.0.0.1");

        DiscoveryResult r = build(builder().timeout(Duration.ofSeconds(6)).trustCertificates(List.of(CA.certificate())))
                .lookupBlocking("erin@verify.test");

        ServerSettings in = r.bestIncoming().orElseThrow();
        assertThat(in.verified()).isTrue();
        assertThat(in.probe().tlsVersion()).startsWith("TLSv1.");
        assertThat(in.auth()).containsExactly("OAuth2", "password-cleartext");
        ServerSettings out = r.bestOutgoing().orElseThrow();
        assertThat(out.verified()).isTrue();
        assertThat(out.auth()).containsExactly("password-cleartext");
        // Both directions verified and trusted: the lookup stops without waiting for the deadline.
        assertThat(r.elapsedMs()).isLessThan(3_000);
    }

    @Test
    void aSavedSettingCanBeCheckedAgain() throws Exception {
        ScriptedMailServer pop = started(ScriptedMailServer.builder()
                .implicitTls(tls("pop.check.test"))
                .send("+OK ready")
                .expect("CAPA")
                .send("+OK")
                .send("USER")
                .send("SASL PLAIN")
                .send(".")
                .expect("QUIT")
                .send("+OK bye"));
        dns.a("pop.check.test", "127.0.0.1");
        MailSetup m = build(builder().trustCertificates(List.of(CA.certificate())));

        ProbeReport ok = m.probe(Protocol.POP3, "pop.check.test", pop.port(), Security.TLS);
        assertThat(ok.ok()).isTrue();
        assertThat(ok.authMethods()).containsExactly("password-cleartext");

        ProbeReport refused = m.probe(Protocol.POP3, "pop.check.test", pop.port(), Security.STARTTLS);
        assertThat(refused.ok()).isFalse();
        assertThat(refused.failure()).isNotBlank();
        // The network policy holds here too: a public-only instance refuses loopback.
        ProbeReport blocked = build(MailSetup.builder().dnsServer(dns.address()))
                .probe(Protocol.POP3, "pop.check.test", pop.port(), Security.TLS);
        assertThat(blocked.failure()).contains("not a public address");
    }

    private ScriptedMailServer started(ScriptedMailServer.Builder b) throws Exception {
        ScriptedMailServer s = b.start();
        closeLater.add(s);
        return s;
    }

    private static final HeldCertificate CA =
            new HeldCertificate.Builder().certificateAuthority(0).commonName("test CA").build();

    /** Server-side TLS for this host name, with a certificate from the test CA. */
    private static javax.net.ssl.SSLContext tls(String host) {
        HeldCertificate leaf = new HeldCertificate.Builder().signedBy(CA).commonName(host)
                .addSubjectAlternativeName(host).build();
        return new HandshakeCertificates.Builder().heldCertificate(leaf, CA.certificate()).build().sslContext();
    }

    @Test
    void aProviderWithoutClientAccessIsAnsweredAtOnceWithItsReasonPageAndBridge() {
        NoClientAccess none = new NoClientAccess("Mail apps connect through the Bridge program only.",
                "https://help.bridged.test/bridge",
                List.of(new NoClientAccess.Bridge(Protocol.IMAP, "127.0.0.1", 1143, Security.STARTTLS)));
        ClientConfig c = new ClientConfig("bridged.test", List.of("bridged.test"), "Bridged Mail", null, List.of(), List.of(),
                List.of(), List.of(), List.of(new ProviderNote("bridge", null, "Install the Bridge first.")), null, null, none);
        ProviderIndex index = new ProviderIndex() {
            public Optional<ClientConfig> byDomain(String d) {
                return d.equals("bridged.test") ? Optional.of(c) : Optional.empty();
            }

            public Optional<ClientConfig> byMxHost(String h) {
                return Optional.empty();
            }
        };

        // No DNS answers for bridged.test and nothing listens anywhere: only the database can answer.
        DiscoveryResult r = build(builder().providers(index)).lookupBlocking("carol@bridged.test");

        assertThat(r.error().code()).isEqualTo(LookupError.Code.NO_CLIENT_ACCESS);
        assertThat(r.error().code().id()).isEqualTo("no-client-access");
        assertThat(r.error().message()).isEqualTo("Mail apps connect through the Bridge program only.");
        assertThat(r.error().url()).isEqualTo("https://help.bridged.test/bridge");
        assertThat(r.error().bridge()).containsExactly(new NoClientAccess.Bridge(Protocol.IMAP, "127.0.0.1", 1143, Security.STARTTLS));
        assertThat(r.incoming()).isEmpty();
        assertThat(r.provider().notes()).extracting(ProviderNote::type).containsExactly("bridge");
        assertThat(r.sources()).filteredOn(s -> s.status() != SourceStatus.SKIPPED).singleElement()
                .satisfies(s -> assertThat(s.name()).isEqualTo(SourceName.PROVIDER_DB));
        assertThat(r.elapsedMs()).isZero();

        // With the database switched off, the entry says nothing and discovery runs as usual.
        DiscoveryResult off = build(builder().providers(index).disable(SourceName.PROVIDER_DB).timeout(Duration.ofSeconds(2)))
                .lookupBlocking("carol@bridged.test");
        assertThat(off.error().code()).isNotEqualTo(LookupError.Code.NO_CLIENT_ACCESS);
    }

    private static ProviderIndex singleEntry(String domain, String name, String imapHost, String smtpHost) {
        ClientConfig c = new ClientConfig(domain, List.of(domain), name, null,
                List.of(new ServerConfig(Protocol.IMAP, imapHost, 993, Security.TLS, "%EMAILADDRESS%", List.of("password-cleartext"))),
                List.of(new ServerConfig(Protocol.SMTP, smtpHost, 465, Security.TLS, "%EMAILADDRESS%", List.of("password-cleartext"))),
                List.of(), List.of(),
                List.of(new ProviderNote("app-password", "https://help.hosted.test/app-passwords", "Use an app password.")),
                null, new OAuth2Config("accounts.hosted.test", List.of("mail"), "https://accounts.hosted.test/auth",
                        "https://accounts.hosted.test/token"));
        return new ProviderIndex() {
            public Optional<ClientConfig> byDomain(String d) {
                return d.equals(domain) ? Optional.of(c) : Optional.empty();
            }

            public Optional<ClientConfig> byMxHost(String h) {
                return Optional.empty();
            }
        };
    }
}
