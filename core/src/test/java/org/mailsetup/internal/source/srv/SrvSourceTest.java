package org.mailsetup.internal.source.srv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsetup.EmailAddress;
import org.mailsetup.Protocol;
import org.mailsetup.ProviderIndex;
import org.mailsetup.Security;
import org.mailsetup.SourceName;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.discovery.Candidate;
import org.mailsetup.internal.discovery.DiscoverySettings;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.dns.DnsJavaClient;
import org.mailsetup.internal.net.Dialer;
import org.mailsetup.internal.net.NetworkPolicy;
import org.mailsetup.testkit.FakeDnsServer;

class SrvSourceTest {

    private static final String[] ALL = {"_imaps", "_imap", "_pop3s", "_pop3", "_submissions", "_submission"};

    private FakeDnsServer dns;
    private final SrvSource source = new SrvSource();

    @BeforeEach
    void start() throws IOException {
        dns = new FakeDnsServer().start();
        dns.zone("example.org");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private LookupContext context(String email, Duration timeout) {
        return new LookupContext(EmailAddress.parse(email), Deadline.after(timeout),
                Dialer.create(NetworkPolicy.publicOnly(), DnsJavaClient.using(dns.address())),
                null, ProviderIndex.empty(), DiscoverySettings.defaults());
    }

    private SourceOutcome discover(String email) throws Exception {
        return source.discover(context(email, Duration.ofSeconds(3)));
    }

    @Test
    void isTheSrvSource() {
        assertThat(source.name()).isEqualTo(SourceName.SRV);
    }

    @Test
    void mapsAllSixServices() throws Exception {
        dns.srv("_imaps._tcp.example.org", 0, 0, 993, "imap.example.org")
                .srv("_imap._tcp.example.org", 0, 0, 143, "imap.example.org")
                .srv("_pop3s._tcp.example.org", 0, 0, 995, "pop.example.org")
                .srv("_pop3._tcp.example.org", 0, 0, 110, "pop.example.org")
                .srv("_submissions._tcp.example.org", 0, 0, 465, "smtp.example.org")
                .srv("_submission._tcp.example.org", 0, 0, 587, "smtp.example.org");

        SourceOutcome result = discover("Jane.Doe@Example.org");

        assertThat(result.candidates()).containsExactly(
                candidate(Protocol.IMAP, "imap.example.org", 993, Security.TLS, true),
                candidate(Protocol.IMAP, "imap.example.org", 143, Security.STARTTLS, true),
                candidate(Protocol.POP3, "pop.example.org", 995, Security.TLS, true),
                candidate(Protocol.POP3, "pop.example.org", 110, Security.STARTTLS, true),
                candidate(Protocol.SMTP, "smtp.example.org", 465, Security.TLS, true),
                candidate(Protocol.SMTP, "smtp.example.org", 587, Security.STARTTLS, true));
        assertThat(result.detail()).isEqualTo("6 SRV records (_imaps, _imap, _pop3s, _pop3, _submissions, _submission)");
        assertThat(result.warnings()).isEmpty();
        assertThat(result.provider()).isNull();
        for (String label : ALL) {
            assertThat(dns.queryCount(label + "._tcp.example.org", "SRV")).as(label).isEqualTo(1);
        }
    }

    private static Candidate candidate(Protocol p, String host, int port, Security s, boolean trusted) {
        return new Candidate(p, host, port, s, "Jane.Doe@example.org", List.of(), SourceName.SRV, trusted);
    }

    @Test
    void usernameIsTheFullAddressAndPortComesFromTheRecord() throws Exception {
        dns.srv("_submission._tcp.example.org", 0, 0, 2525, "smtp.example.org");

        Candidate c = discover("someone@example.org").candidates().getFirst();

        assertThat(c.username()).isEqualTo("someone@example.org");
        assertThat(c.port()).isEqualTo(2525);
        assertThat(c.auth()).isEmpty();
    }

    @Test
    void ordersByPriorityThenWeight() throws Exception {
        dns.srv("_imaps._tcp.example.org", 20, 100, 993, "last.example.org")
                .srv("_imaps._tcp.example.org", 10, 10, 993, "second.example.org")
                .srv("_imaps._tcp.example.org", 10, 60, 993, "first.example.org")
                .srv("_imaps._tcp.example.org", 10, 0, 993, "third.example.org");

        SourceOutcome result = discover("a@example.org");

        assertThat(result.candidates()).extracting(Candidate::host)
                .containsExactly("first.example.org", "second.example.org", "third.example.org", "last.example.org");
        assertThat(result.detail()).isEqualTo("4 SRV records (_imaps)");
    }

    @Test
    void dotTargetMeansNotOffered() throws Exception {
        dns.srv("_pop3._tcp.example.org", 0, 0, 0, ".").srv("_pop3s._tcp.example.org", 0, 0, 0, ".")
                .srv("_imaps._tcp.example.org", 0, 0, 993, "imap.example.org");

        SourceOutcome result = discover("a@example.org");

        assertThat(result.candidates()).extracting(Candidate::protocol).containsExactly(Protocol.IMAP);
        assertThat(result.detail()).isEqualTo("1 SRV record (_imaps); not offered (target \".\"): _pop3s, _pop3");
    }

    @Test
    void onlyDotTargetsIsEmptyWithANote() throws Exception {
        for (String label : ALL) {
            dns.srv(label + "._tcp.example.org", 0, 0, 0, ".");
        }

        SourceOutcome result = discover("a@example.org");

        assertThat(result.candidates()).isEmpty();
        assertThat(result.detail()).startsWith("no usable SRV records").contains("_submission");
    }

    @Test
    void dotAmongOtherRecordsIsIgnoredWithAWarning() throws Exception {
        dns.srv("_imaps._tcp.example.org", 0, 0, 0, ".").srv("_imaps._tcp.example.org", 1, 0, 993, "imap.example.org");

        SourceOutcome result = discover("a@example.org");

        assertThat(result.candidates()).extracting(Candidate::host).containsExactly("imap.example.org");
        assertThat(result.warnings()).singleElement().asString().contains("_imaps._tcp.example.org", "\".\"");
    }

    @Test
    void targetsOutsideTheDomainAreUntrusted() throws Exception {
        dns.srv("_imaps._tcp.example.org", 0, 0, 993, "example.org")
                .srv("_imaps._tcp.example.org", 1, 0, 993, "deep.sub.example.org")
                .srv("_imaps._tcp.example.org", 2, 0, 993, "imap.provider.example")
                .srv("_imaps._tcp.example.org", 3, 0, 993, "notexample.org")
                .srv("_imaps._tcp.example.org", 4, 0, 993, "example.org.attacker.example");

        SourceOutcome result = discover("a@example.org");

        assertThat(result.candidates()).extracting(c -> c.host() + "=" + c.trusted()).containsExactly(
                "example.org=true", "deep.sub.example.org=true", "imap.provider.example=false",
                "notexample.org=false", "example.org.attacker.example=false");
    }

    @Test
    void targetsElsewhereInTheRegistrableDomainAreTrusted() throws Exception {
        dns.srv("_imaps._tcp.mail.example.org", 0, 0, 993, "imap.example.org")
                .srv("_imaps._tcp.alice.github.io", 0, 0, 993, "imap.bob.github.io")
                .srv("_imaps._tcp.dept.mailhost.corp", 0, 0, 993, "imap.mailhost.corp");

        assertThat(discover("a@mail.example.org").candidates()).singleElement().matches(Candidate::trusted);
        assertThat(discover("a@alice.github.io").candidates()).singleElement().matches(c -> !c.trusted());
        assertThat(discover("a@dept.mailhost.corp").candidates()).singleElement().matches(Candidate::trusted);
    }

    @Test
    void dnssecAuthenticatedAnswersAreTrustedAnywhere() throws Exception {
        dns.srv("_imaps._tcp.example.org", 0, 0, 993, "imap.provider.example").authenticated("_imaps._tcp.example.org")
                .srv("_submissions._tcp.example.org", 0, 0, 465, "smtp.provider.example");

        SourceOutcome result = discover("a@example.org");

        assertThat(result.candidates()).extracting(c -> c.host() + "=" + c.trusted())
                .containsExactly("imap.provider.example=true", "smtp.provider.example=false");
    }

    @Test
    void invalidTargetsAreSkippedWithAWarning() throws Exception {
        dns.srv("_imaps._tcp.example.org", 0, 0, 993, "-bad-.example.org")
                .srv("_imaps._tcp.example.org", 1, 0, 993, "bad!name.example.org")
                .srv("_imaps._tcp.example.org", 2, 0, 993, "localhost")
                .srv("_imaps._tcp.example.org", 3, 0, 993, "imap.example.org");

        SourceOutcome result = discover("a@example.org");

        assertThat(result.candidates()).extracting(Candidate::host).containsExactly("imap.example.org");
        assertThat(result.warnings()).hasSize(3).allSatisfy(w -> assertThat(w).contains("invalid target"));
        assertThat(result.detail()).isEqualTo("1 SRV record (_imaps)");
    }

    @Test
    void portZeroIsSkipped() throws Exception {
        dns.srv("_imaps._tcp.example.org", 0, 0, 0, "imap.example.org");

        SourceOutcome result = discover("a@example.org");

        assertThat(result.candidates()).isEmpty();
        assertThat(result.warnings()).singleElement().asString().contains("port 0");
        assertThat(result.detail()).isEqualTo("1 SRV record found, none usable: _imaps: target imap.example.org with port 0");
    }

    @Test
    void recordsThatAreAllInvalidAreNamedWithWhyTheyWereDropped() throws Exception {
        dns.srv("_imaps._tcp.example.org", 0, 0, 993, "-bad-.example.org")
                .srv("_submission._tcp.example.org", 0, 0, 587, "localhost");

        SourceOutcome result = discover("a@example.org");

        assertThat(result).isInstanceOf(SourceOutcome.Empty.class);
        assertThat(result.detail()).isEqualTo("2 SRV records found, none usable: _imaps: invalid target host name "
                + "'-bad-.example.org'; _submission: invalid target host name 'localhost'");
    }

    @Test
    void duplicateRecordsGiveOneCandidate() throws Exception {
        dns.srv("_imaps._tcp.example.org", 0, 0, 993, "imap.example.org")
                .srv("_imaps._tcp.example.org", 5, 0, 993, "IMAP.example.org.");

        assertThat(discover("a@example.org").candidates()).hasSize(1);
    }

    @Test
    void nothingAnywhereIsEmpty() throws Exception {
        SourceOutcome result = discover("a@example.org");

        assertThat(result).isEqualTo(SourceOutcome.empty("no SRV records"));
    }

    @Test
    void notesTheSmallestTtlIncludingNegativeAnswers() throws Exception {
        dns.ttl(900).srv("_imaps._tcp.example.org", 0, 0, 993, "imap.example.org")
                .ttl(120).srv("_submission._tcp.example.org", 0, 0, 587, "smtp.example.org");
        LookupContext ctx = context("a@example.org", Duration.ofSeconds(3));

        source.discover(ctx);

        // The NXDOMAIN answers for the other services carry the SOA minimum, now 120 too.
        assertThat(ctx.minTtlSeconds()).isEqualTo(120);

        dns.ttl(30);
        LookupContext second = context("a@example.org", Duration.ofSeconds(3));
        source.discover(second);
        assertThat(second.minTtlSeconds()).isEqualTo(30);
    }

    @Test
    void oneFailingServiceIsAWarningNotAFailure() throws Exception {
        dns.servfail("_imap._tcp.example.org").srv("_imaps._tcp.example.org", 0, 0, 993, "imap.example.org");

        SourceOutcome result = discover("a@example.org");

        assertThat(result.candidates()).extracting(Candidate::host).containsExactly("imap.example.org");
        assertThat(result.warnings()).singleElement().asString().contains("_imap._tcp.example.org", "SERVFAIL");
    }

    @Test
    void everyServiceFailingIsAFailure() throws Exception {
        for (String label : ALL) {
            dns.servfail(label + "._tcp.example.org");
        }

        SourceOutcome result = discover("a@example.org");

        assertThat(result).isInstanceOf(SourceOutcome.Failed.class);
        assertThat(result.detail()).contains("SERVFAIL");
    }

    @Test
    void oneFailingServiceBesideEmptyOnesIsAFailureNotEmpty() throws Exception {
        dns.refused("_submission._tcp.example.org");

        SourceOutcome result = discover("a@example.org");

        assertThat(result).isInstanceOf(SourceOutcome.Failed.class);
        assertThat(result.detail()).contains("_submission");
        assertThat(result.warnings()).singleElement().asString().contains("REFUSED");
    }

    @Test
    void slowServiceDoesNotHoldUpTheOthersBeyondTheDeadline() throws Exception {
        dns.timeout("_pop3._tcp.example.org").srv("_imaps._tcp.example.org", 0, 0, 993, "imap.example.org");
        Duration limit = Duration.ofMillis(600);

        long start = System.nanoTime();
        SourceOutcome result = source.discover(context("a@example.org", limit));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(elapsed).isLessThan(limit.plusSeconds(1));
        assertThat(result.candidates()).extracting(Candidate::host).containsExactly("imap.example.org");
        assertThat(result.warnings()).singleElement().asString().contains("_pop3._tcp.example.org", "timed out");
    }

    @Test
    void servicesAreQueriedConcurrently() throws Exception {
        for (String label : ALL) {
            dns.srv(label + "._tcp.example.org", 0, 0, 1000, "mail.example.org")
                    .delay(label + "._tcp.example.org", Duration.ofMillis(500));
        }

        // One after the other would need 3 s and miss the deadline; at once it takes about 0.5 s.
        SourceOutcome result = source.discover(context("a@example.org", Duration.ofMillis(2000)));

        assertThat(result.warnings()).isEmpty();
        assertThat(result.candidates()).hasSize(6);
    }

    @Test
    void everyServiceTimingOutIsATimeOutWithinTheDeadline() throws Exception {
        for (String label : ALL) {
            dns.timeout(label + "._tcp.example.org");
        }
        Duration limit = Duration.ofMillis(600);

        long start = System.nanoTime();
        SourceOutcome result = source.discover(context("a@example.org", limit));
        assertThat(result).isInstanceOf(SourceOutcome.TimedOut.class);
        assertThat(result.detail()).contains("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(limit.plusSeconds(1));
    }

    @Test
    void internationalDomainsAreQueriedAsALabels() throws Exception {
        dns.srv("_imaps._tcp.xn--bcher-kva.example", 0, 0, 993, "imap.xn--bcher-kva.example");

        SourceOutcome result = discover("leser@bücher.example");

        assertThat(result.candidates()).singleElement()
                .satisfies(c -> {
                    assertThat(c.host()).isEqualTo("imap.xn--bcher-kva.example");
                    assertThat(c.trusted()).isTrue();
                });
    }
}
