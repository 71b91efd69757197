package org.mailsetup.service.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mailsetup.service.Main;
import org.mailsetup.service.http.Fixture;
import org.mailsetup.testkit.FakeDnsServer;

/**
 * Hostile input against the real thing: {@code mailsetup serve} and {@code mailsetup lookup -} in their
 * own JVMs, with discovery over an in-process DNS on loopback. Every answer must be below 500 and carry
 * a well-formed body of its declared type; the log must hold no stack trace and no full address; the
 * server must be alive and healthy at the end, its resident memory bounded.
 *
 * <p>{@code -Dmailsetup.fuzz.requests=N -Dmailsetup.fuzz.addresses=N -Dmailsetup.fuzz.seed=S} size and
 * seed a run; {@code benchmarks/fuzz/fuzz.sh} runs a long one. The summaries land in {@code target/fuzz/}.
 */
@Tag("fuzz")
class HostileRequestsFuzzTest {

    private static final int REQUESTS = Integer.getInteger("mailsetup.fuzz.requests", 20_000);
    private static final int ADDRESSES = Integer.getInteger("mailsetup.fuzz.addresses", 2_000);
    private static final long SEED = Long.getLong("mailsetup.fuzz.seed", 9L);
    // Enough connections at once that requests left to the header timeout do not hold up the rest.
    private static final int CONCURRENCY = 128;
    private static final ObjectMapper JSON = new ObjectMapper();
    // A stack trace line, or the first line of one.
    private static final Pattern STACK_TRACE = Pattern.compile(
            "^\\s+at \\S+\\(|^Caused by: |^[\\w.$]+(Exception|Error)(: |$)|^\\s+\\.\\.\\. \\d+ more", Pattern.MULTILINE);
    // An address in a log line: masking leaves "***" before every '@'.
    private static final Pattern UNMASKED_AT = Pattern.compile("(?<!\\*\\*\\*)@");

    private static final Path DIR = Path.of("target", "fuzz");
    private static FakeDnsServer dns;
    private static Process server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(DIR);
        dns = Fixture.dns();
        server = new ProcessBuilder(java("-Xmx256m", Main.class.getName(), "serve", "--port", "0", "--no-rate-limit",
                "--dns", "127.0.0.1:" + dns.port(), "--no-verify", "--timeout", "2s", "--max-timeout", "3s",
                "--disable", "ispdb", "--disable", "autoconfig", "--disable", "autodiscover", "--disable", "pacc",
                "--disable", "guess"))
                .redirectErrorStream(true).redirectOutput(DIR.resolve("serve.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
        while (port == 0 && System.nanoTime() < deadline && server.isAlive()) {
            Matcher m = listening.matcher(Files.readString(DIR.resolve("serve.log")));
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            } else {
                Thread.sleep(100);
            }
        }
        assertThat(port).as("the server started").isPositive();
        while (System.nanoTime() < deadline && !get("/readyz").startsWith("HTTP/1.1 200")) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void hostileRequestsGetShortWellFormedAnswersAndLeaveNoTrace() throws Exception {
        HostileInput input = new HostileInput(SEED);
        Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        // Warm up before the first memory reading, so that it is of a running server, not of a starting one.
        for (int i = 0; i < 300; i++) {
            get(HostileInput.PATHS.get(i % 9) + "?email=warm" + i + "%40example.test");
        }
        long rssBefore = rssKib();
        long start = System.nanoTime();
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < REQUESTS; i++) {
                HostileInput.Request r = input.request();
                inFlight.acquire();
                threads.submit(() -> {
                    try {
                        check(r, statuses, failures);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long rssAfter = rssKib();

        assertThat(server.isAlive()).as("the server is alive").isTrue();
        assertThat(get("/healthz")).startsWith("HTTP/1.1 200");
        String log = Files.readString(DIR.resolve("serve.log"));
        List<String> traces = matches(STACK_TRACE, log);
        List<String> addresses = matches(UNMASKED_AT, log);
        long errors = log.lines().filter(l -> l.contains(" ERROR ")).count();
        summary("serve", REQUESTS, took, statuses, failures.size(), traces.size(), addresses.size(), errors,
                "RSS " + rssBefore / 1024 + " MiB after warm-up, " + rssAfter / 1024 + " MiB at the end (-Xmx256m)");

        assertThat(failures).as("requests answered badly").isEmpty();
        assertThat(traces).as("stack traces in the log").isEmpty();
        assertThat(addresses).as("full addresses in the log").isEmpty();
        assertThat(errors).as("ERROR lines in the log").isZero();
        assertThat(statuses.keySet()).noneMatch(s -> s.startsWith("5") && !s.equals("501"));
        // The heap is capped at 256 MiB; what else grows (threads, buffers, code) must stay small too.
        assertThat(rssAfter - rssBefore).as("RSS growth in KiB").isLessThan(256 * 1024);
    }

    @Test
    void hostileAddressesInABatchEachGetTheirOwnLine() throws Exception {
        HostileInput input = new HostileInput(SEED + 1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ADDRESSES; i++) {
            // One address a line: the line breaks an address may hold would split it.
            lines.add(input.address().replace('\n', ' ').replace('\r', ' ').replace('\u2028', ' ')
                    .replace('\u2029', ' ').replace('\u0085', ' '));
        }
        Path in = DIR.resolve("addresses.txt");
        Files.write(in, lines, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        Process batch = new ProcessBuilder(java("-Xmx256m", Main.class.getName(), "lookup", "--dns",
                "127.0.0.1:" + dns.port(), "--no-verify", "--timeout", "2s", "--parallel", "16", "--disable", "ispdb",
                "--disable", "autoconfig", "--disable", "autodiscover", "--disable", "pacc", "--disable", "guess", "-"))
                .redirectInput(in.toFile()).redirectError(DIR.resolve("batch.log").toFile()).start();
        byte[] out = batch.getInputStream().readAllBytes();
        assertThat(batch.waitFor(5, TimeUnit.MINUTES)).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        List<String> expected = lines.stream().map(l -> l.length() > 1024 ? l.substring(0, 1024) : l)
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        List<String> records = new String(out, StandardCharsets.UTF_8).lines().toList();
        List<String> failures = new ArrayList<>();
        Map<String, AtomicLong> codes = new TreeMap<>();
        for (int i = 0; i < Math.max(records.size(), expected.size()); i++) {
            try {
                var j = JSON.readTree(records.get(i));
                String code = j.path("error").isNull() ? "ok" : j.at("/error/code").asText();
                codes.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
                if (!code.equals("ok") && !code.equals("domain-not-found") && !j.path("email").asText().equals(expected.get(i))) {
                    failures.add("line " + (i + 1) + " out of order: " + records.get(i));
                }
            } catch (IOException | IndexOutOfBoundsException e) {
                failures.add("line " + (i + 1) + ": " + e);
            }
        }
        String log = Files.readString(DIR.resolve("batch.log"));
        List<String> traces = matches(STACK_TRACE, log);
        List<String> addresses = matches(UNMASKED_AT, log);
        long errors = log.lines().filter(l -> l.contains(" ERROR ")).count();
        summary("batch", ADDRESSES, took, codes, failures.size(), traces.size(), addresses.size(), errors,
                "exit status " + batch.exitValue());

        assertThat(failures).isEmpty();
        assertThat(records).hasSameSizeAs(expected);
        assertThat(batch.exitValue()).isIn(0, 1);
        assertThat(traces).isEmpty();
        assertThat(addresses).isEmpty();
        assertThat(errors).isZero();
    }

    // ------------------------------------------------------------------ one request

    private static void check(HostileInput.Request r, Map<String, AtomicLong> statuses, ConcurrentLinkedQueue<String> failures) {
        String problem;
        String status = "none";
        try {
            byte[] response = exchange(r.bytes());
            int end = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            while (end > 0 && new String(response, 0, end, StandardCharsets.ISO_8859_1).matches("HTTP/1\\.[01] 1\\d\\d[^\r]*")) {
                // An interim answer (100 Continue) comes before the real one.
                response = java.util.Arrays.copyOfRange(response, end + 4, response.length);
                end = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            if (end < 0) {
                problem = r.mayGoUnanswered() && response.length == 0 ? null : "no complete answer";
            } else {
                String head = new String(response, 0, end, StandardCharsets.ISO_8859_1);
                status = head.length() >= 12 ? head.substring(9, 12) : "???";
                byte[] body = java.util.Arrays.copyOfRange(response, end + 4, response.length);
                problem = judge(head, status, body, r.head());
            }
        } catch (IOException e) {
            problem = r.mayGoUnanswered() ? null : e.toString();
        }
        statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
        if (problem != null && failures.size() < 50) {
            failures.add(r.label() + " → " + status + ": " + problem + " — request: "
                    + abbreviate(new String(r.bytes(), StandardCharsets.ISO_8859_1)));
        }
    }

    /** Null when the answer is acceptable, else what is wrong with it. */
    private static String judge(String head, String status, byte[] body, boolean toHead) {
        if (status.equals("501")) {
            // Vert.x's own answer to a request line naming an HTTP version it does not know: empty, then close.
            return body.length == 0 ? null : "a 501 with a body";
        }
        if (status.startsWith("5")) {
            return "a server error";
        }
        String type = header(head, "Content-Type").toLowerCase(Locale.ROOT);
        if (toHead) {
            return null;
        }
        if (type.isEmpty()) {
            return body.length == 0 && !status.startsWith("4") ? null : "a body without a type, or an error without a body";
        }
        try {
            if (type.startsWith("application/json") || type.startsWith("application/problem+json")) {
                var j = JSON.readTree(body);
                if (status.startsWith("4") && (!type.startsWith("application/problem+json") || !j.path("code").isTextual())) {
                    return "an error that is not a problem document";
                }
            } else if (type.startsWith("text/xml") || type.startsWith("application/xml")
                    || type.startsWith("application/x-apple-aspen-config")) {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
                f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
                f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
            } else if (body.length == 0) {
                return "an empty " + type;
            }
        } catch (Exception e) {
            return "a body that is not " + type + ": " + e.getMessage();
        }
        return null;
    }

    // ------------------------------------------------------------------ plumbing

    private static byte[] exchange(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            try {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
            } catch (IOException e) {
                // The server may close after reading enough to refuse; its answer is what counts.
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[16384];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new IOException("no answer and no close within 30 s");
            } catch (IOException e) {
                if (got.size() == 0) {
                    throw e;
                }
            }
            return got.toByteArray();
        }
    }

    private static String get(String path) throws IOException {
        return new String(exchange(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    private static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return "";
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static List<String> matches(Pattern p, String log) {
        List<String> found = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (p.matcher(line).find() && found.size() < 20) {
                found.add(abbreviate(line));
            }
        }
        return found;
    }

    private static String abbreviate(String s) {
        String one = s.replace("\r", "\\r").replace("\n", "\\n");
        return one.length() <= 200 ? one : one.substring(0, 200) + "…";
    }

    private static void summary(String what, int count, Duration took, Map<String, AtomicLong> statuses, int failures,
                                int traces, int addresses, long errors, String extra) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append(what).append(": ").append(count).append(" inputs in ").append(took.toSeconds()).append(" s, seed ")
                .append(SEED).append('\n');
        new TreeMap<>(statuses).forEach((k, v) -> s.append("  ").append(k).append(": ").append(v.get()).append('\n'));
        s.append("  badly answered: ").append(failures).append(", stack-trace lines: ").append(traces)
                .append(", unmasked addresses: ").append(addresses).append(", ERROR lines: ").append(errors).append('\n');
        s.append("  ").append(extra).append('\n');
        System.out.print(s);
        Files.writeString(DIR.resolve("summary-" + what + ".txt"), s);
    }
}
