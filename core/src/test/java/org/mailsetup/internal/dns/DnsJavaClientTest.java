package org.mailsetup.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsetup.internal.Deadline;
import org.mailsetup.testkit.FakeDnsServer;

class DnsJavaClientTest {

    private FakeDnsServer dns;
    private DnsJavaClient client;

    @BeforeEach
    void start() throws IOException {
        dns = new FakeDnsServer().start();
        client = DnsJavaClient.using(dns.address());
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private static Deadline soon() {
        return Deadline.after(Duration.ofSeconds(3));
    }

    @Test
    void mxRecordsAreLowerCaseWithoutTrailingDot() throws DnsException {
        dns.mx("example.org", 10, "MX1.Example.ORG").mx("example.org", 20, "mx2.example.org.");

        DnsAnswer<MxRecord> answer = client.mx("example.org", soon());

        assertThat(answer.status()).isEqualTo(DnsAnswer.Status.OK);
        assertThat(answer.records()).containsExactlyInAnyOrder(
                new MxRecord(10, "mx1.example.org"), new MxRecord(20, "mx2.example.org"));
        assertThat(answer.authenticated()).isFalse();
    }

    @Test
    void nullMxHasAnEmptyHost() throws DnsException {
        dns.nullMx("example.org");

        DnsAnswer<MxRecord> answer = client.mx("example.org", soon());

        assertThat(answer.records()).singleElement().satisfies(mx -> {
            assertThat(mx.host()).isEmpty();
            assertThat(mx.isNullMx()).isTrue();
        });
    }

    @Test
    void nameWithTrailingDotIsTheSameName() throws DnsException {
        dns.mx("example.org", 10, "mx.example.org");

        assertThat(client.mx("example.org.", soon()).records()).hasSize(1);
    }

    @Test
    void srvRecordsIncludingRootTarget() throws DnsException {
        dns.srv("_imaps._tcp.example.org", 1, 20, 993, "Imap.Example.org")
                .srv("_imaps._tcp.example.org", 2, 0, 1993, "backup.example.net")
                .srv("_pop3s._tcp.example.org", 0, 0, 0, ".");

        assertThat(client.srv("_imaps._tcp.example.org", soon()).records()).containsExactlyInAnyOrder(
                new SrvRecord(1, 20, 993, "imap.example.org"), new SrvRecord(2, 0, 1993, "backup.example.net"));
        assertThat(client.srv("_pop3s._tcp.example.org", soon()).records())
                .containsExactly(new SrvRecord(0, 0, 0, ""));
    }

    @Test
    void txtStringsAreJoinedPerRecord() throws DnsException {
        dns.txt("example.org", "v=spf1 include:", "_spf.example.net -all").txt("example.org", "single");

        assertThat(client.txt("example.org", soon()).records())
                .containsExactlyInAnyOrder("v=spf1 include:_spf.example.net -all", "single");
    }

    @Test
    void txtIsReturnedVerbatimWithoutEscapes() throws DnsException {
        dns.txt("example.org", "say \"hi\" ", "back\\slash ", "café");

        assertThat(client.txt("example.org", soon()).records()).containsExactly("say \"hi\" back\\slash café");
    }

    @Test
    void addressesReturnsBothFamilies() throws Exception {
        dns.a("imap.example.org", "127.0.0.2").aaaa("imap.example.org", "::1");

        DnsAnswer<InetAddress> answer = client.addresses("imap.example.org", soon());

        assertThat(answer.status()).isEqualTo(DnsAnswer.Status.OK);
        assertThat(answer.records()).containsExactlyInAnyOrder(
                InetAddress.getByName("127.0.0.2"), InetAddress.getByName("::1"));
    }

    @Test
    void addressesWithOnlyIpv4() throws Exception {
        dns.a("imap.example.org", "127.0.0.2");

        DnsAnswer<InetAddress> answer = client.addresses("imap.example.org", soon());

        assertThat(answer.status()).isEqualTo(DnsAnswer.Status.OK);
        assertThat(answer.records()).containsExactly(InetAddress.getByName("127.0.0.2"));
    }

    @Test
    void addressesFollowCnames() throws Exception {
        dns.cname("mail.example.org", "host.provider.example").a("host.provider.example", "127.0.0.7");

        DnsAnswer<InetAddress> answer = client.addresses("mail.example.org", soon());

        assertThat(answer.records()).containsExactly(InetAddress.getByName("127.0.0.7"));
    }

    @Test
    void cnameToSrvIsFollowed() throws DnsException {
        dns.cname("_submission._tcp.example.org", "_submission._tcp.provider.example")
                .srv("_submission._tcp.provider.example", 0, 0, 587, "smtp.provider.example");

        assertThat(client.srv("_submission._tcp.example.org", soon()).records())
                .containsExactly(new SrvRecord(0, 0, 587, "smtp.provider.example"));
    }

    @Test
    void nxdomainIsAStatusNotAnError() throws DnsException {
        dns.zone("example.org").ttl(60);

        DnsAnswer<MxRecord> mx = client.mx("nope.example.org", soon());
        assertThat(mx.status()).isEqualTo(DnsAnswer.Status.NXDOMAIN);
        assertThat(mx.records()).isEmpty();
        assertThat(mx.ttlSeconds()).isEqualTo(60);

        DnsAnswer<InetAddress> addresses = client.addresses("nope.example.org", soon());
        assertThat(addresses.status()).isEqualTo(DnsAnswer.Status.NXDOMAIN);
        assertThat(addresses.records()).isEmpty();
    }

    @Test
    void nodataIsOkAndEmptyWithTheNegativeTtl() throws DnsException {
        dns.ttl(120).a("example.org", "127.0.0.2");

        DnsAnswer<MxRecord> mx = client.mx("example.org", soon());

        assertThat(mx.status()).isEqualTo(DnsAnswer.Status.OK);
        assertThat(mx.isEmpty()).isTrue();
        assertThat(mx.ttlSeconds()).isEqualTo(120);
    }

    @Test
    void ttlIsTheSmallestOfTheRecords() throws DnsException {
        dns.ttl(600).mx("example.org", 10, "mx1.example.org").ttl(30).mx("example.org", 20, "mx2.example.org");

        assertThat(client.mx("example.org", soon()).ttlSeconds()).isEqualTo(30);
    }

    @Test
    void addressesTtlIsTheSmallestOfBothFamilies() throws DnsException {
        dns.ttl(600).a("imap.example.org", "127.0.0.2").ttl(45).aaaa("imap.example.org", "::1");

        assertThat(client.addresses("imap.example.org", soon()).ttlSeconds()).isEqualTo(45);
    }

    @Test
    void servfailIsAnException() {
        dns.mx("example.org", 10, "mx.example.org").servfail("example.org");

        assertThatThrownBy(() -> client.mx("example.org", soon()))
                .isInstanceOf(DnsException.class).hasMessageContaining("SERVFAIL").hasMessageContaining("example.org");
        assertThatThrownBy(() -> client.addresses("example.org", soon())).isInstanceOf(DnsException.class);
    }

    @Test
    void refusedNamesTheRcode() {
        dns.refused("example.org");

        assertThatThrownBy(() -> client.mx("example.org", soon()))
                .isInstanceOf(DnsException.class).hasMessageContaining("REFUSED")
                .matches(e -> !((DnsException) e).deadlinePassed(), "a resolver failure, not the deadline");
    }

    @Test
    void resolverTimeLimitIsAFailureThatSaysHowLongItWaited() throws IOException {
        DnsJavaClient impatient = DnsJavaClient.using(dns.address(), Duration.ofMillis(300));
        dns.timeout("slow.example.org");

        assertThatThrownBy(() -> impatient.mx("slow.example.org", soon()))
                .isInstanceOf(DnsException.class)
                .hasMessageContaining("no answer from the DNS resolver within 0.3 s for slow.example.org MX")
                .matches(e -> !((DnsException) e).deadlinePassed(), "a resolver failure, not the deadline");
    }

    @Test
    void lookupDeadlineBeforeTheResolverAnswersIsMarkedAsSuch() {
        dns.timeout("slow.example.org");

        assertThatThrownBy(() -> client.mx("slow.example.org", Deadline.after(Duration.ofMillis(200))))
                .isInstanceOf(DnsException.class)
                .matches(e -> ((DnsException) e).deadlinePassed(), "the lookup's deadline");
    }

    @Test
    void timeoutIsAnExceptionWithinTheDeadline() {
        dns.timeout("slow.example.org");
        Duration limit = Duration.ofMillis(400);

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.mx("slow.example.org", Deadline.after(limit)))
                .isInstanceOf(DnsException.class).hasMessageContaining("timed out");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(elapsed).isLessThan(limit.plusSeconds(1));
        assertThat(dns.queryCount("slow.example.org", "MX")).isPositive();
    }

    @Test
    void addressesTimeoutIsBoundedByOneDeadline() {
        dns.timeout("slow.example.org");
        Duration limit = Duration.ofMillis(400);

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.addresses("slow.example.org", Deadline.after(limit)))
                .isInstanceOf(DnsException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(limit.plusSeconds(1));
    }

    @Test
    void expiredDeadlineFailsFast() {
        dns.mx("example.org", 10, "mx.example.org").timeout("example.org");
        Deadline past = Deadline.after(Duration.ZERO);

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.mx("example.org", past)).isInstanceOf(DnsException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void adBitMeansAuthenticated() throws Exception {
        dns.srv("_imaps._tcp.example.org", 0, 0, 993, "imap.example.net").authenticated("_imaps._tcp.example.org")
                .srv("_submissions._tcp.example.org", 0, 0, 465, "smtp.example.net");

        assertThat(client.srv("_imaps._tcp.example.org", soon()).authenticated()).isTrue();
        assertThat(client.srv("_submissions._tcp.example.org", soon()).authenticated()).isFalse();
    }

    @Test
    void addressesAreAuthenticatedOnlyIfBothFamiliesAre() throws Exception {
        dns.a("imap.example.org", "127.0.0.2").aaaa("imap.example.org", "::1").authenticated("imap.example.org")
                .a("other.example.org", "127.0.0.3");

        assertThat(client.addresses("imap.example.org", soon()).authenticated()).isTrue();
        assertThat(client.addresses("other.example.org", soon()).authenticated()).isFalse();
    }

    @Test
    void truncatedAnswerIsRetriedOverTcp() throws DnsException {
        dns.mx("example.org", 10, "mx.example.org").truncate("example.org");

        assertThat(client.mx("example.org", soon()).records()).containsExactly(new MxRecord(10, "mx.example.org"));
        assertThat(dns.tcpQueryCount("example.org", "MX")).isEqualTo(1);
    }

    @Test
    void answerTooBigForUdpComesOverTcp() throws DnsException {
        for (int i = 0; i < 80; i++) {
            dns.txt("big.example.org", "entry " + i + " padded so that eighty of them exceed 1232 bytes");
        }

        assertThat(client.txt("big.example.org", soon()).records()).hasSize(80);
        assertThat(dns.tcpQueryCount("big.example.org", "TXT")).isEqualTo(1);
    }

    @Test
    void invalidNamesAreAClearException() {
        assertThatThrownBy(() -> client.mx("bad..example.org", soon()))
                .isInstanceOf(DnsException.class).hasMessageContaining("not a valid DNS name");
        assertThatThrownBy(() -> client.addresses("a".repeat(64) + ".example.org", soon()))
                .isInstanceOf(DnsException.class);
        assertThatThrownBy(() -> client.srv("x." + "abcdefghi.".repeat(26) + "org", soon()))
                .isInstanceOf(DnsException.class);
    }

    @Test
    void emptyOrNullNameIsAClearException() {
        assertThatThrownBy(() -> client.mx("", soon())).isInstanceOf(DnsException.class);
        assertThatThrownBy(() -> client.mx(null, soon())).isInstanceOf(DnsException.class);
    }

    @Test
    void unreachableServerIsAnExceptionWithinTheDeadline() throws IOException {
        FakeDnsServer gone = new FakeDnsServer().start();
        DnsJavaClient toGone = DnsJavaClient.using(gone.address());
        gone.close();
        Duration limit = Duration.ofMillis(500);

        long start = System.nanoTime();
        assertThatThrownBy(() -> toGone.mx("example.org", Deadline.after(limit))).isInstanceOf(DnsException.class)
                .hasMessageMatching(".*(not reachable|timed out).*");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(limit.plusSeconds(1));
    }
}
