package org.mailsetup.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailsetup.testkit.FakeDnsServer;

/** The command line in a separate JVM under the C locale of systemd units, cron and containers. */
class CLocaleTest {

    private static FakeDnsServer dns;

    @BeforeAll
    static void start() throws IOException {
        dns = new FakeDnsServer().start()
                .mx("xn--bcher-kva.test", 10, "mx.xn--bcher-kva.test")
                .srv("_imaps._tcp.xn--bcher-kva.test", 0, 1, 993, "imap.xn--bcher-kva.test")
                .srv("_submissions._tcp.xn--bcher-kva.test", 0, 1, 465, "smtp.xn--bcher-kva.test")
                .a("imap.xn--bcher-kva.test", "192.0.2.10").a("smtp.xn--bcher-kva.test", "192.0.2.12");
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    private record Result(int exit, String out) {
    }

    private static Result mailsetup(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "lookup", "--dns", "127.0.0.1:" + dns.port(), "--no-verify", "--timeout=3s",
                "--disable", "ispdb", "--disable", "autoconfig", "--disable", "autodiscover", "--disable", "pacc",
                "--disable", "guess"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.startsWith("JAVA_TOOL"));
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void anIdnAddressGivenAsArgumentIsReadAndPrintedAsUtf8() throws Exception {
        Result r = mailsetup("", "--json", "jörg@bücher.test");

        assertThat(r.out()).contains("\"email\":\"jörg@xn--bcher-kva.test\"").doesNotContain("?").doesNotContain("\ufffd");
        assertThat(r.out()).contains("\"host\":\"imap.xn--bcher-kva.test\"");
        assertThat(r.exit()).isZero();
    }

    @Test
    void batchInputAndOutputAreUtf8() throws Exception {
        Result r = mailsetup("jörg@bücher.test\nzoë@bücher.test\n", "--csv", "-");

        assertThat(r.out().lines().toList()).hasSize(3);
        assertThat(r.out()).contains("jörg@xn--bcher-kva.test,xn--bcher-kva.test,ok,")
                .contains("zoë@xn--bcher-kva.test,xn--bcher-kva.test,ok,").doesNotContain("\ufffd");
        assertThat(r.exit()).isZero();
    }

    @Test
    void theTableShowsUnicodeToo() throws Exception {
        Result r = mailsetup("", "jörg@bücher.test");

        assertThat(r.out()).contains("jörg@").doesNotContain("j?rg");
    }
}
