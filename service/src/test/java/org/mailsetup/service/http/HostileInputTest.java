package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsetup.service.http.Fixture.q;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsetup.format.AutodiscoverTest;
import org.mailsetup.testkit.FakeDnsServer;

/**
 * Malformed input at the HTTP level: every answer is a short 4xx problem (or a prompt close where the
 * stream cannot be answered), and the log gets at most one quiet line, never a stack trace or an address.
 */
class HostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
    private static Fixture f;

    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        FakeDnsServer dns = Fixture.dns();
        MailSetupServer server = MailSetupServer.start(ServeSettings.defaults().withRateLimit(null, 0),
                OwnEntries.none(), () -> MailSetupLookups.build(Fixture.discovery(dns, Duration.ofSeconds(8)), false),
                HEADER_TIMEOUT);
        server.ready().toCompletionStage().toCompletableFuture().get();
        f = Fixture.of(dns, server);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @BeforeEach
    void captureLog() {
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(originalErr);
    }

    private String log() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Nothing a client sends may make the server log an ERROR, a stack trace or an address. */
    private void assertQuietLog(String... secrets) {
        String log = log();
        assertThat(log).doesNotContain("ERROR").doesNotContain("\tat ").doesNotContain("Exception:");
        for (String secret : secrets) {
            assertThat(log).doesNotContain(secret);
        }
        assertThat(log.lines().count()).as(log).isLessThanOrEqualTo(1);
    }

    static JsonNode problem(int expectedStatus, String contentType, String body, String code) throws IOException {
        assertThat(contentType).startsWith(Problem.CONTENT_TYPE);
        JsonNode p = JSON.readTree(body);
        assertThat(p.path("status").asInt()).isEqualTo(expectedStatus);
        assertThat(p.path("code").asText()).isEqualTo(code);
        assertThat(p.path("detail").asText()).isNotBlank();
        return p;
    }

    private static JsonNode problem(HttpResponse<String> r, int status, String code) throws IOException {
        assertThat(r.statusCode()).isEqualTo(status);
        return problem(status, r.headers().firstValue("Content-Type").orElse(""), r.body(), code);
    }

    // ------------------------------------------------------------------ defects 1, 3, 4: request lines

    @Test
    void malformedPercentEscapeIsAProblemAndOneMaskedWarning() throws Exception {
        Raw r = Raw.get(f.server.port(), "/v1/lookup?email=secret.person%zz@example.test");

        assertThat(r.status()).isEqualTo(400);
        problem(400, r.header("Content-Type"), r.body(), "invalid-request");
        assertThat(log()).contains("WARN").contains("s***@example.test");
        assertQuietLog("secret.person", "%zz");
    }

    @Test
    void malformedQueriesCountAgainstTheRateLimit() throws Exception {
        try (Fixture limited = Fixture.start(ServeSettings.defaults()
                .withRateLimit(new RateLimit(1, Duration.ofHours(1), 2), 8))) {
            int port = limited.server.port();
            assertThat(Raw.get(port, "/v1/lookup?email=a%zz@example.test").status()).isEqualTo(400);
            assertThat(Raw.get(port, "/mail/config-v1.1.xml?emailaddress=a%zz@example.test").status()).isEqualTo(400);
            Raw third = Raw.get(port, "/v1/lookup?email=a%zz@example.test");
            assertThat(third.status()).isEqualTo(429);
            problem(429, third.header("Content-Type"), third.body(), "rate-limited");
            assertThat(third.header("Retry-After")).isNotEmpty();
        }
    }

    @Test
    void http11WithoutHostIsA400Problem() throws Exception {
        Raw r = Raw.exchange(f.server.port(), "GET /healthz HTTP/1.1\r\n\r\n");

        assertThat(r.status()).isEqualTo(400);
        problem(400, r.header("Content-Type"), r.body(), "invalid-request");
        assertThat(r.closed()).isTrue();
        assertQuietLog();
    }

    @Test
    void aQuotedLocalPartOfThousandsOfCharactersIsAnInvalidEmailNotA500() throws Exception {
        String address = "\"" + "x".repeat(3_000) + "\"@example.test";
        problem(f.get("/v1/lookup?email=" + q(address)), 400, "invalid-email");
        problem(f.get("/mail/config-v1.1.xml?emailaddress=" + q(address)), 400, "invalid-email");
        assertQuietLog("xxxxxxxx");
    }

    // ------------------------------------------------------------------ defects 2 and 5: Autodiscover

    @Test
    void autodiscoverRefusesFormsAndMultipartWith415WithoutReadingThem() throws Exception {
        byte[] form = "email=secret.person%40example.test".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = f.post(HttpApi.AUTODISCOVER_PATH, "application/x-www-form-urlencoded", form);
        problem(r, 415, "unsupported-media-type");
        assertThat(r.headers().firstValue("Accept-Post").orElse("")).contains("text/xml");

        byte[] multipart = ("--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nsecret.person@example.test\r\n--b--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        problem(f.post("/Autodiscover/Autodiscover.xml", "multipart/form-data; boundary=b", multipart), 415,
                "unsupported-media-type");
        assertThat(log()).doesNotContain("secret.person").doesNotContain("ERROR").doesNotContain("\tat ");
    }

    @Test
    void autodiscoverReadsXmlSentWithoutAContentType() throws Exception {
        String body = AutodiscoverTest.request("alice@" + Fixture.DOMAIN);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Raw r = Raw.exchange(f.server.port(), "POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n" + body);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("<Server>imap." + Fixture.DOMAIN + "</Server>");
    }

    @Test
    void autodiscoverErrorsEchoingNoncharactersAreWellFormedXml() throws Exception {
        byte[] body = ("<Autodiscover xmlns=\"" + org.mailsetup.format.Autodiscover.REQUEST_NS + "\"><Request>"
                + "<EMailAddress>a\uffff\ufffe@exa\uffffmple.test</EMailAddress></Request></Autodiscover>")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = f.http.send(java.net.http.HttpRequest.newBuilder(f.uri(HttpApi.AUTODISCOVER_PATH))
                .header("Content-Type", "text/xml").POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(r.statusCode()).isEqualTo(400);
        AutodiscoverTest.dom(r.body());   // throws unless well-formed
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("&#xffff;").doesNotContain("\uffff");
    }

    // ------------------------------------------------------------------ defect 8: framing

    @Test
    void garbageWithALineEndGetsAnImmediate400AndClose() throws Exception {
        for (String junk : new String[] {"\u0016\u0003\u0001\u0000\u00a5\u0001 hello\r\n\r\n", "\u0000\u0001 \u00ff\u00fe x\r\n\r\n",
                "GET\r\n\r\n", "GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", "GET / HTTP/1.1\r\n: no name\r\n\r\n"}) {
            long start = System.nanoTime();
            Raw r = Raw.exchange(f.server.port(), junk.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(r.status()).as(junk).isEqualTo(400);
            problem(400, r.header("Content-Type"), r.body(), "invalid-request");
            assertThat(r.closed()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HEADER_TIMEOUT);
        }
        assertThat(log()).doesNotContain("ERROR").doesNotContain("\tat ");
    }

    @Test
    void aTlsClientHelloOnThePlainPortIsClosedByTheHeaderTimeout() throws Exception {
        // A handshake record has no line end for the HTTP decoder to stop at: it waits for the rest of
        // the request head, and the header timeout ends the wait.
        byte[] hello = new byte[220];
        hello[0] = 0x16;
        hello[1] = 0x03;
        hello[2] = 0x01;
        hello[5] = 0x01;
        for (int i = 6; i < hello.length; i++) {
            hello[i] = (byte) (0x30 + i % 40);
        }
        long start = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", f.server.port())) {
            s.setSoTimeout((int) HEADER_TIMEOUT.multipliedBy(5).toMillis());
            s.getOutputStream().write(hello);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HEADER_TIMEOUT.multipliedBy(4));
        assertThat(log()).doesNotContain("ERROR").doesNotContain("WARN").doesNotContain("\tat ");
    }

    @Test
    void anInvalidChunkSizeClosesAtOnceWithoutAStackTrace() throws Exception {
        long start = System.nanoTime();
        Raw r = Raw.exchange(f.server.port(), "POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");

        assertThat(r.closed()).isTrue();
        assertThat(r.status()).isIn(-1, 400);  // Vert.x closes a stream it cannot decode before an answer can go out
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HEADER_TIMEOUT);
        assertQuietLog();
    }

    @Test
    void requestHeadsThatNeverCompleteAreCutOffByTheHeaderTimeout() throws Exception {
        // CR-only line ends never end the head; a slowloris client sends it a byte at a time.
        for (String head : new String[] {"GET /healthz HTTP/1.1\rHost: x\r\r", "GET /healthz HTTP/1.1\r\nX-Slow: aaaaaaaa"}) {
            try (Socket s = new Socket("127.0.0.1", f.server.port())) {
                s.setSoTimeout((int) HEADER_TIMEOUT.multipliedBy(5).toMillis());
                OutputStream out = s.getOutputStream();
                long start = System.nanoTime();
                boolean closed = false;
                try {
                    for (byte b : head.getBytes(StandardCharsets.US_ASCII)) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(100);   // each byte alone would reset an idle timeout
                    }
                    closed = s.getInputStream().read() == -1;
                } catch (IOException e) {
                    closed = true;   // reset by the server while writing
                }
                assertThat(closed).as(head).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HEADER_TIMEOUT.multipliedBy(4));
            }
        }
        // A well-behaved keep-alive client is not cut off while it is being answered.
        assertThat(f.get("/healthz").statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ defect 9: answers with bodies

    @Test
    void methodNotAllowedSaysWhatIsAllowed() throws Exception {
        HttpResponse<String> r = f.http.send(java.net.http.HttpRequest.newBuilder(f.uri("/v1/lookup?email=a%40b.test"))
                .method("DELETE", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        problem(r, 405, "method-not-allowed");
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");

        HttpResponse<String> get = f.get(HttpApi.AUTODISCOVER_PATH);
        problem(get, 405, "method-not-allowed");
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void overlongRequestLinesAndHeadersGetProblemBodies() throws Exception {
        Raw line = Raw.exchange(f.server.port(), "GET /v1/lookup?email=" + "a".repeat(9_000) + "%40example.test HTTP/1.1\r\n"
                + "Host: x\r\n\r\n");
        assertThat(line.status()).isEqualTo(414);
        problem(414, line.header("Content-Type"), line.body(), "uri-too-long");

        Raw headers = Raw.exchange(f.server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9_000)
                + "\r\n\r\n");
        assertThat(headers.status()).isEqualTo(431);
        problem(431, headers.header("Content-Type"), headers.body(), "headers-too-large");
        assertThat(log()).doesNotContain("ERROR").doesNotContain("\tat ").doesNotContain("aaaaaaaa");
    }

    /** One raw HTTP/1.1 exchange over a socket: what came back, and whether the server closed. */
    record Raw(int status, String head, String body, boolean closed) {

        static Raw get(int port, String pathAndQuery) throws IOException {
            return exchange(port, "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        }

        static Raw exchange(int port, String request) throws IOException {
            return exchange(port, request.getBytes(StandardCharsets.UTF_8));
        }

        static Raw exchange(int port, byte[] request) throws IOException {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(5_000);
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                boolean closed = false;
                try {
                    byte[] buf = new byte[8192];
                    while (!complete(got.toString(StandardCharsets.UTF_8))) {
                        int n = in.read(buf);
                        if (n < 0) {
                            closed = true;
                            break;
                        }
                        got.write(buf, 0, n);
                    }
                    if (!closed) {
                        // The server says whether it closes; wait briefly to see it do so.
                        s.setSoTimeout(1_000);
                        closed = in.read() == -1;
                    }
                } catch (SocketTimeoutException e) {
                    closed = false;
                } catch (IOException e) {
                    closed = true;
                }
                return parse(got.toString(StandardCharsets.UTF_8), closed);
            }
        }

        private static boolean complete(String text) {
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                return false;
            }
            String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
            int cl = head.indexOf("content-length:");
            if (cl < 0) {
                return true;
            }
            int eol = head.indexOf("\r\n", cl);
            int length = Integer.parseInt(head.substring(cl + 15, eol < 0 ? head.length() : eol).strip());
            return text.getBytes(StandardCharsets.UTF_8).length - end - 4 >= length;
        }

        private static Raw parse(String text, boolean closed) {
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/") || end < 0) {
                return new Raw(-1, text, "", closed);
            }
            String head = text.substring(0, end);
            return new Raw(Integer.parseInt(head.substring(9, 12)), head, text.substring(end + 4), closed);
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return "";
        }
    }
}
