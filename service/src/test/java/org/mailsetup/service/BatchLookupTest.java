package org.mailsetup.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailsetup.MailSetup;
import org.mailsetup.service.http.Fixture;
import org.mailsetup.testkit.FakeDnsServer;

class BatchLookupTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeDnsServer dns;

    @BeforeAll
    static void start() throws Exception {
        dns = Fixture.dns();
        for (String d : List.of("a.test", "b.test", "c.test", "d.test")) {
            Fixture.publish(dns, d);
        }
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    private record Run(int status, List<String> lines, String err) {
    }

    private static Run run(MailSetup ms, String input, boolean csv, int parallel, boolean progress) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BatchLookup.run(ms, new StringReader(input), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), csv, parallel, progress);
        return new Run(status, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writesOneJsonObjectPerAddressInInputOrder() throws Exception {
        // The first address is the slowest: order must still follow the input.
        dns.delay("_imaps._tcp.a.test", Duration.ofMillis(400));
        try (MailSetup ms = Fixture.discovery(dns, Duration.ofSeconds(3)).build()) {
            Run r = run(ms, "x@a.test\n\n# a comment\ny@b.test\n  z@c.test  \n", false, 4, false);

            assertThat(r.status()).isZero();
            assertThat(r.lines()).hasSize(3);
            List<JsonNode> results = r.lines().stream().map(l -> {
                try {
                    return JSON.readTree(l);
                } catch (Exception e) {
                    throw new AssertionError(l, e);
                }
            }).toList();
            assertThat(results).extracting(j -> j.path("email").asText()).containsExactly("x@a.test", "y@b.test", "z@c.test");
            assertThat(results.get(0).path("incoming").get(0).path("host").asText()).isEqualTo("imap.a.test");
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void csvHasAHeaderQuotesCellsAndFailsTheExitStatusOnErrors() {
        try (MailSetup ms = Fixture.discovery(dns, Duration.ofSeconds(3)).build()) {
            Run r = run(ms, "\"x,y\"@d.test\nnot-an-address\nq@nowhere.test\n", true, 2, false);

            assertThat(r.status()).isEqualTo(1);
            assertThat(r.lines().get(0)).isEqualTo(String.join(",", BatchLookup.CSV_COLUMNS));
            assertThat(r.lines().get(1)).startsWith("\"\"\"x,y\"\"@d.test\",d.test,ok,,,imap,imap.d.test,993,tls,false,smtp.d.test,465,tls,false,");
            assertThat(r.lines().get(2)).startsWith("not-an-address,,invalid-email,");
            assertThat(r.lines().get(3)).startsWith("q@nowhere.test,nowhere.test,domain-not-found,");
        }
    }

    @Test
    void runsAtMostParallelLookupsAtOnce() {
        Fixture.publish(dns, "slow1.test");
        Fixture.publish(dns, "slow2.test");
        Fixture.publish(dns, "slow3.test");
        Fixture.publish(dns, "slow4.test");
        for (int i = 1; i <= 4; i++) {
            dns.delay("_imaps._tcp.slow" + i + ".test", Duration.ofMillis(1500));
        }
        String input = "a@slow1.test\na@slow2.test\na@slow3.test\na@slow4.test\n";
        try (MailSetup two = Fixture.discovery(dns, Duration.ofSeconds(8)).build();
             MailSetup four = Fixture.discovery(dns, Duration.ofSeconds(8)).build()) {
            long t0 = System.nanoTime();
            Run bounded = run(two, input, false, 2, false);
            long boundedMs = (System.nanoTime() - t0) / 1_000_000;
            long t1 = System.nanoTime();
            Run wide = run(four, input, false, 4, false);
            long wideMs = (System.nanoTime() - t1) / 1_000_000;

            assertThat(bounded.lines()).hasSize(4);
            assertThat(wide.lines()).hasSize(4);
            // Two waves of 1.5 s with two slots, one wave with four.
            assertThat(boundedMs).isGreaterThanOrEqualTo(3000);
            assertThat(wideMs).isLessThan(3000);
        }
    }

    @Test
    void progressGoesToStderrOnlyWhenAsked() {
        try (MailSetup ms = Fixture.discovery(dns, Duration.ofSeconds(3)).build()) {
            Run quiet = run(ms, "x@b.test\n", false, 1, false);
            Run shown = run(ms, "x@b.test\n", false, 1, true);

            assertThat(quiet.err()).isEmpty();
            assertThat(shown.err()).contains("1/1 done, 1 found");
            assertThat(shown.lines()).isEqualTo(quiet.lines());
        }
    }

    @Test
    void csvCellsFollowRfc4180() {
        assertThat(BatchLookup.csvCell("plain")).isEqualTo("plain");
        assertThat(BatchLookup.csvCell("a,b")).isEqualTo("\"a,b\"");
        assertThat(BatchLookup.csvCell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(BatchLookup.csvCell("two\nlines")).isEqualTo("\"two\nlines\"");
    }

    @Test
    void anAddressThatOnceKilledTheRunIsJustItsOwnLinesError() throws Exception {
        // A quoted local part of thousands of characters overflowed the stack and ended the whole run.
        String hostile = "\"" + "a".repeat(5_000) + "\"@b.test";
        String endless = "x".repeat(3 * BatchLookup.MAX_LINE) + "@c.test";
        try (MailSetup ms = Fixture.discovery(dns, Duration.ofSeconds(3)).build()) {
            Run r = run(ms, "x@a.test\n" + hostile + "\n" + endless + "\r\ny@b.test", false, 2, false);

            assertThat(r.lines()).hasSize(4);
            assertThat(r.lines()).extracting(BatchLookupTest::errorCode)
                    .containsExactly("", "invalid-email", "invalid-email", "");
            assertThat(JSON.readTree(r.lines().get(3)).path("email").asText()).isEqualTo("y@b.test");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).contains("2 of 4 addresses found no settings");
        }
    }

    @Test
    void aLookupThatThrowsFailsOnlyItsOwnLine() throws Exception {
        MailSetup closed = Fixture.discovery(dns, Duration.ofSeconds(3)).build();
        closed.close();   // lookups that need discovery now fail; invalid input is still answered
        Run json = run(closed, "x@a.test\nnot-an-address\n", false, 2, false);
        Run csv = run(closed, "x@a.test\nnot-an-address\n", true, 2, false);

        assertThat(json.lines()).extracting(BatchLookupTest::errorCode)
                .containsExactly("internal-error", "invalid-email");
        assertThat(JSON.readTree(json.lines().get(0)).path("email").asText()).isEqualTo("x@a.test");
        assertThat(json.status()).isEqualTo(1);
        assertThat(csv.lines().get(1)).startsWith("x@a.test,,internal-error,");
        assertThat(csv.lines().get(1).split(",", -1)).hasSize(BatchLookup.CSV_COLUMNS.size());
        assertThat(csv.lines().get(2)).startsWith("not-an-address,,invalid-email,");
    }

    private static String errorCode(String jsonLine) {
        try {
            return JSON.readTree(jsonLine).at("/error/code").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(jsonLine, e);
        }
    }
}
