package org.mailsetup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class FakeDnsServerTest {

    private FakeDnsServer dns;
    private SimpleResolver resolver;

    @BeforeEach
    void start() throws IOException {
        dns = new FakeDnsServer().start();
        resolver = new SimpleResolver(dns.address());
        resolver.setTimeout(Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private Message ask(String name, int type) throws IOException {
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN)));
    }

    private Message askWithAd(String name, int type) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        q.getHeader().setFlag(Flags.AD);
        return resolver.send(q);
    }

    private static List<Record> answers(Message m, int type) {
        return m.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
    }

    @Test
    void listensOnLoopbackWithAnEphemeralPort() {
        assertThat(dns.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(dns.port()).isPositive().isEqualTo(dns.address().getPort());
    }

    @Test
    void answersAAndAaaa() throws IOException {
        dns.a("imap.example.org", "127.0.0.2").a("imap.example.org", "127.0.0.3").aaaa("imap.example.org", "::1");

        Message a = ask("imap.example.org", Type.A);
        assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answers(a, Type.A)).map(r -> ((ARecord) r).getAddress())
                .containsExactlyInAnyOrder(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3"));
        Message aaaa = ask("IMAP.Example.ORG.", Type.AAAA);
        assertThat(answers(aaaa, Type.AAAA)).map(r -> ((AAAARecord) r).getAddress())
                .containsExactly(InetAddress.getByName("::1"));
    }

    @Test
    void answersMxAndNullMx() throws IOException {
        dns.mx("example.org", 10, "mx1.example.org").mx("example.org", 20, "mx2.example.org.").nullMx("null.example");

        assertThat(answers(ask("example.org", Type.MX), Type.MX)).map(r -> (MXRecord) r)
                .extracting(r -> r.getPriority() + " " + r.getTarget())
                .containsExactlyInAnyOrder("10 mx1.example.org.", "20 mx2.example.org.");
        List<Record> nullMx = answers(ask("null.example", Type.MX), Type.MX);
        assertThat(nullMx).hasSize(1);
        assertThat(((MXRecord) nullMx.get(0)).getTarget()).isEqualTo(Name.root);
        assertThat(((MXRecord) nullMx.get(0)).getPriority()).isZero();
    }

    @Test
    void answersSrvIncludingRootTarget() throws IOException {
        dns.srv("_imaps._tcp.example.org", 0, 5, 993, "imap.example.org").srv("_pop3s._tcp.example.org", 0, 0, 0, ".");

        SRVRecord srv = (SRVRecord) answers(ask("_imaps._tcp.example.org", Type.SRV), Type.SRV).get(0);
        assertThat(srv.getPriority()).isZero();
        assertThat(srv.getWeight()).isEqualTo(5);
        assertThat(srv.getPort()).isEqualTo(993);
        assertThat(srv.getTarget().toString()).isEqualTo("imap.example.org.");
        SRVRecord none = (SRVRecord) answers(ask("_pop3s._tcp.example.org", Type.SRV), Type.SRV).get(0);
        assertThat(none.getTarget()).isEqualTo(Name.root);
    }

    @Test
    void txtKeepsCharacterStringsApartAndVerbatim() throws IOException {
        dns.txt("example.org", "v=spf1 ", "-all").txt("example.org", "quote\" back\\slash é");

        List<Record> txt = answers(ask("example.org", Type.TXT), Type.TXT);
        assertThat(txt).hasSize(2);
        List<List<String>> strings = new ArrayList<>();
        for (Record r : txt) {
            strings.add(((TXTRecord) r).getStringsAsByteArrays().stream()
                    .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).toList());
        }
        assertThat(strings).containsExactlyInAnyOrder(List.of("v=spf1 ", "-all"), List.of("quote\" back\\slash é"));
    }

    @Test
    void followsCnameChainsAndAddsTheTargetRecords() throws IOException {
        dns.cname("mail.example.org", "alias.example.net").cname("alias.example.net", "host.example.net")
                .a("host.example.net", "127.0.0.9");

        Message m = ask("mail.example.org", Type.A);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answers(m, Type.CNAME)).map(r -> ((CNAMERecord) r).getTarget().toString())
                .containsExactly("alias.example.net.", "host.example.net.");
        assertThat(answers(m, Type.A)).map(r -> ((ARecord) r).getAddress())
                .containsExactly(InetAddress.getByName("127.0.0.9"));
        // Asking for the CNAME itself does not follow it.
        Message c = ask("mail.example.org", Type.CNAME);
        assertThat(answers(c, Type.CNAME)).hasSize(1);
        assertThat(answers(c, Type.A)).isEmpty();
    }

    @Test
    void danglingCnameAnswersNxdomainWithTheChain() throws IOException {
        dns.cname("mail.example.org", "gone.example.org");

        Message m = ask("mail.example.org", Type.A);
        assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(answers(m, Type.CNAME)).hasSize(1);
    }

    @Test
    void cnameLoopIsServfailNotAHang() throws IOException {
        dns.cname("a.example.org", "b.example.org").cname("b.example.org", "a.example.org");

        assertThat(ask("a.example.org", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void unknownNamesAreNxdomainWithSoaAndOtherTypesAreNodata() throws IOException {
        dns.zone("example.org").a("imap.example.org", "127.0.0.2").srv("_imaps._tcp.example.org", 0, 0, 993, "imap.example.org");

        Message nx = ask("nope.example.org", Type.A);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getSection(Section.AUTHORITY)).singleElement()
                .satisfies(r -> assertThat(r.getName().toString()).isEqualTo("example.org."))
                .isInstanceOf(SOARecord.class);

        Message nodata = ask("imap.example.org", Type.MX);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(nodata.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);

        // An empty non-terminal exists: it has names below it.
        Message ent = ask("_tcp.example.org", Type.SRV);
        assertThat(ent.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(ent.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void soaWithoutDeclaredZoneIsTheLastTwoLabels() throws IOException {
        Message nx = ask("a.b.example.com", Type.A);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getSection(Section.AUTHORITY).get(0).getName().toString()).isEqualTo("example.com.");
    }

    @Test
    void explicitNxdomainOverridesRecords() throws IOException {
        dns.a("imap.example.org", "127.0.0.2").nxdomain("imap.example.org");

        assertThat(ask("imap.example.org", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void servfail() throws IOException {
        dns.a("imap.example.org", "127.0.0.2").servfail("imap.example.org");

        Message m = ask("imap.example.org", Type.A);
        assertThat(m.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void authenticatedSetsAdOnlyWhenAskedAndOnlyForThatName() throws IOException {
        dns.a("secure.example.org", "127.0.0.2").authenticated("secure.example.org").a("plain.example.org", "127.0.0.3");

        assertThat(askWithAd("secure.example.org", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
        assertThat(ask("secure.example.org", Type.A).getHeader().getFlag(Flags.AD)).isFalse();
        assertThat(askWithAd("plain.example.org", Type.A).getHeader().getFlag(Flags.AD)).isFalse();
    }

    @Test
    void cnameChainIsAuthenticatedOnlyIfEveryNameIs() throws IOException {
        dns.cname("mail.example.org", "host.example.net").a("host.example.net", "127.0.0.9")
                .authenticated("mail.example.org");
        assertThat(askWithAd("mail.example.org", Type.A).getHeader().getFlag(Flags.AD)).isFalse();

        dns.authenticated("host.example.net");
        assertThat(askWithAd("mail.example.org", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void timeoutDropsTheQuery() {
        dns.a("slow.example.org", "127.0.0.2").timeout("slow.example.org");
        resolver.setTimeout(Duration.ofMillis(300));

        long start = System.nanoTime();
        assertThatThrownBy(() -> ask("slow.example.org", Type.A)).isInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(dns.queryCount("slow.example.org", "A")).isPositive();
    }

    @Test
    void delayHoldsTheAnswerWithoutHoldingUpOtherNames() throws Exception {
        dns.a("slow.example.org", "127.0.0.2").delay("slow.example.org", Duration.ofMillis(1_500))
                .a("fast.example.org", "127.0.0.3");
        SimpleResolver other = new SimpleResolver(dns.address());
        other.setTimeout(Duration.ofSeconds(5));

        long start = System.nanoTime();
        var slow = other.sendAsync(Message.newQuery(Record.newRecord(
                Name.fromString("slow.example.org."), Type.A, DClass.IN))).toCompletableFuture();
        Message fast = ask("fast.example.org", Type.A);
        Duration fastElapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(slow).isNotDone();
        assertThat(dns.queryCount("slow.example.org", "A")).as("counted on arrival").isEqualTo(1);
        Message slowAnswer = slow.get();
        Duration slowElapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answers(fast, Type.A)).hasSize(1);
        assertThat(fastElapsed).isLessThan(Duration.ofMillis(1_000));
        assertThat(answers(slowAnswer, Type.A)).hasSize(1);
        assertThat(slowElapsed).isGreaterThanOrEqualTo(Duration.ofMillis(1_500));

        resolver.setTCP(true);
        resolver.setTimeout(Duration.ofSeconds(5));
        long tcpStart = System.nanoTime();
        assertThat(answers(ask("slow.example.org", Type.A), Type.A)).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - tcpStart)).isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
    }

    @Test
    void truncatedUdpAnswerMakesTheClientRetryOverTcp() throws IOException {
        dns.a("big.example.org", "127.0.0.2").truncate("big.example.org");

        resolver.setIgnoreTruncation(true);
        Message udpOnly = ask("big.example.org", Type.A);
        assertThat(udpOnly.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(udpOnly.getSection(Section.ANSWER)).isEmpty();

        resolver.setIgnoreTruncation(false);
        Message full = ask("big.example.org", Type.A);
        assertThat(full.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(answers(full, Type.A)).hasSize(1);
        assertThat(dns.tcpQueryCount("big.example.org", "A")).isEqualTo(1);
        assertThat(dns.queryCount("big.example.org", "A")).isEqualTo(3);
    }

    @Test
    void largeAnswersAreTruncatedToTheClientsPayloadSize() throws IOException {
        for (int i = 0; i < 60; i++) {
            dns.txt("many.example.org", "record number " + i + " with some padding to make it long");
        }
        resolver.setIgnoreTruncation(true);
        resolver.setEDNS(-1, 0, 0, List.of()); // no EDNS: 512 bytes

        assertThat(ask("many.example.org", Type.TXT).getHeader().getFlag(Flags.TC)).isTrue();

        resolver.setIgnoreTruncation(false);
        assertThat(answers(ask("many.example.org", Type.TXT), Type.TXT)).hasSize(60);
    }

    @Test
    void answersOverTcpDirectly() throws IOException {
        dns.mx("example.org", 10, "mx.example.org");
        resolver.setTCP(true);

        assertThat(answers(ask("example.org", Type.MX), Type.MX)).hasSize(1);
        assertThat(dns.tcpQueryCount("example.org", "MX")).isEqualTo(1);
    }

    @Test
    void ttlAppliesToRecordsAddedAfterwardsAndToTheSoa() throws IOException {
        dns.a("one.example.org", "127.0.0.2").ttl(42).a("two.example.org", "127.0.0.3");

        assertThat(answers(ask("one.example.org", Type.A), Type.A).get(0).getTTL()).isEqualTo(300);
        assertThat(answers(ask("two.example.org", Type.A), Type.A).get(0).getTTL()).isEqualTo(42);
        SOARecord soa = (SOARecord) ask("none.example.org", Type.A).getSection(Section.AUTHORITY).get(0);
        assertThat(soa.getMinimum()).isEqualTo(42);
    }

    @Test
    void replaceAChangesTheAnswerWhileRunning() throws IOException {
        dns.a("host.example.org", "127.0.0.2").a("host.example.org", "127.0.0.3").aaaa("host.example.org", "::1");
        assertThat(answers(ask("host.example.org", Type.A), Type.A)).hasSize(2);

        dns.replaceA("host.example.org", "10.0.0.1");
        assertThat(answers(ask("host.example.org", Type.A), Type.A)).map(r -> ((ARecord) r).getAddress())
                .containsExactly(InetAddress.getByName("10.0.0.1"));
        assertThat(answers(ask("host.example.org", Type.AAAA), Type.AAAA)).hasSize(1);

        dns.remove("host.example.org", "AAAA");
        assertThat(answers(ask("host.example.org", Type.AAAA), Type.AAAA)).isEmpty();
    }

    @Test
    void countsQueriesPerNameAndType() throws IOException {
        dns.a("host.example.org", "127.0.0.2");
        ask("host.example.org", Type.A);
        ask("HOST.example.org", Type.A);
        ask("host.example.org", Type.AAAA);

        assertThat(dns.queryCount("host.example.org", "A")).isEqualTo(2);
        assertThat(dns.queryCount("host.example.org.", "AAAA")).isEqualTo(1);
        assertThat(dns.queryCount("host.example.org", "MX")).isZero();
    }

    @Test
    void answersConcurrentQueriesWhileDataChanges() throws Exception {
        dns.a("host.example.org", "127.0.0.2");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    go.await();
                    SimpleResolver r = new SimpleResolver(dns.address());
                    r.setTimeout(Duration.ofSeconds(2));
                    int ok = 0;
                    for (int i = 0; i < 25; i++) {
                        Message m = r.send(Message.newQuery(Record.newRecord(
                                Name.fromString("host.example.org."), Type.A, DClass.IN)));
                        if (m.getRcode() == Rcode.NOERROR && answers(m, Type.A).size() == 1) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            go.countDown();
            for (int i = 0; i < 20; i++) {
                dns.replaceA("host.example.org", "127.0.0." + (i + 2));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(25);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(dns.queryCount("host.example.org", "A")).isEqualTo(100);
    }

    @Test
    void rejectsBadInputClearly() {
        assertThatThrownBy(() -> dns.a("host.example.org", "not-an-ip")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not-an-ip");
        assertThatThrownBy(() -> dns.a("host.example.org", "::1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.aaaa("host.example.org", "127.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.a("bad..name", "127.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.txt("x.example.org", "a".repeat(256))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.queryCount("x.example.org", "NOPE")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.ttl(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeStopsAnswering() throws IOException {
        dns.a("host.example.org", "127.0.0.2");
        dns.close();
        resolver.setTimeout(Duration.ofMillis(300));

        assertThatThrownBy(() -> ask("host.example.org", Type.A)).isInstanceOf(IOException.class);
    }
}
