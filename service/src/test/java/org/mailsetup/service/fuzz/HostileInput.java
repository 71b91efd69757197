package org.mailsetup.service.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Generates what an attacker sends: addresses and raw HTTP/1 requests built from a seeded random
 * source, so that a failing run reproduces from its seed.
 */
final class HostileInput {

    /** One generated request: its bytes, and whether the server may close without answering. */
    record Request(String label, byte[] bytes, boolean mayGoUnanswered, boolean head) {
    }

    static final List<String> PATHS = List.of("/", "/app.js", "/app.css", "/openapi.yaml", "/healthz", "/readyz",
            "/metrics", "/v1/lookup", "/v1/mobileconfig", "/mail/config-v1.1.xml",
            "/.well-known/autoconfig/mail/config-v1.1.xml", "/.well-known/user-agent-configuration.json",
            "/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml", "/AUTODISCOVER/AUTODISCOVER.XML");
    private static final List<String> ADDRESS_PATHS = List.of("/v1/lookup", "/v1/mobileconfig",
            "/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml");
    private static final String[] METHODS = {"GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS",
            "PATCH", "TRACE", "CONNECT", "get", "FOO", "G\u00c9T", ""};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9.9",
            "HTTP/1.1 x", "HTTP/1", "http/1.1", "HTTP/1.1\u0000", ""};
    private static final String[] LOCALS = {"alice", "bob.smith", "x", "jörg", "用户", "\"john doe\"", "\"a@b\"",
            "o'brien", "a+tag", "user%name", "a..b", ".a", "a.", "\"unterminated", "a\\b", "tab\tbed", "nul\u0000",
            "ffff\uffff", "fffe\ufffe", "ls\u2028", "nel\u0085", "bidi\u202e", "zwj\u200d", "cr\rlf\n"};
    private static final String[] DOMAINS = {"example.test", "example.org", "nowhere.test", "bücher.test",
            "xn--bcher-kva.test", "例子.广告", "localhost", "192.0.2.1", "[127.0.0.1]", "[::1]", "-a.test", "a-.test",
            "a..test", ".test", "test.", "a_b.test", "ｅｘａｍｐｌｅ.test", "\u0301a.test", "a.test.", "exa\uffffmple.test",
            "x".repeat(64) + ".test", ("y".repeat(60) + ".").repeat(5) + "test"};
    private static final String[] XML_BODIES = {
            "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Autodiscover>&x;</Autodiscover>",
            "<!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><Autodiscover>&b;</Autodiscover>",
            "<Autodiscover xmlns=\"urn:wrong\"><Request><EMailAddress>%s</EMailAddress></Request></Autodiscover>",
            "<a>" + "<b>".repeat(500) + "</a>",
            "<Autodiscover", "", "not xml at all", "\u00ff\u00fe<\u0000A\u0000>",
    };

    private final Random random;

    HostileInput(long seed) {
        this.random = new Random(seed);
    }

    private <T> T pick(T[] items) {
        return items[random.nextInt(items.length)];
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** An address-like string: mostly plausible, often hostile, now and then enormous. */
    String address() {
        return switch (random.nextInt(12)) {
            case 0 -> "\"" + "q".repeat(1 + random.nextInt(6_000)) + "\"@example.test";
            case 1 -> "\"" + "\\\\a".repeat(1 + random.nextInt(2_000)) + "\"@example.test";
            case 2 -> "l".repeat(60 + random.nextInt(10)) + "@" + pick(DOMAINS);
            case 3 -> randomText(1 + random.nextInt(40));
            case 4 -> pick(LOCALS) + "@" + pick(LOCALS) + "@" + pick(DOMAINS);
            case 5 -> pick(LOCALS) + random.nextInt(1000);
            default -> pick(LOCALS) + (random.nextInt(5) == 0 ? random.nextInt(100) : "") + "@" + pick(DOMAINS);
        };
    }

    private String randomText(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x3000) : (char) (0x20 + random.nextInt(0x5f)));
        }
        return b.toString();
    }

    /** Percent-encodes, and now and then breaks the encoding on purpose. */
    private String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return switch (random.nextInt(14)) {
            case 0 -> b.insert(random.nextInt(b.length() + 1), "%zz").toString();
            case 1 -> b.append('%').toString();
            case 2 -> b.append("%e").toString();
            case 3 -> b.append("%ff%fe%c0%af").toString();
            case 4 -> b.append("%0d%0aX-Injected:%20yes").toString();
            case 5 -> b.toString().replace("%40", "@");
            default -> b.toString();
        };
    }

    private String query(String path) {
        StringBuilder q = new StringBuilder();
        String param = path.startsWith("/mail") || path.startsWith("/.well-known/autoconfig") ? "emailaddress" : "email";
        switch (random.nextInt(10)) {
            case 0 -> { }
            case 1 -> q.append('?').append(param);
            case 2 -> q.append('?').append(param).append("=&").append(param).append('=').append(encode(address()));
            case 3 -> q.append("?%zz=1&").append(param).append('=').append(encode(address()));
            default -> q.append('?').append(param).append('=').append(encode(address()));
        }
        if (random.nextInt(4) == 0) {
            q.append(q.isEmpty() ? '?' : '&').append(random.nextBoolean() ? "verify=" : "timeout=")
                    .append(encode(pick(new String[] {"true", "false", "maybe", "1ms", "99999h", "-1s", "", "0"})));
        }
        return q.toString();
    }

    /** The next request to send. */
    Request request() {
        int kind = random.nextInt(200);
        if (kind == 0) {
            // A TLS ClientHello on the plain port: no line end, so only the header timeout ends it.
            byte[] hello = new byte[100 + random.nextInt(200)];
            random.nextBytes(hello);
            hello[0] = 0x16;
            hello[1] = 0x03;
            for (int i = 0; i < hello.length; i++) {
                if (hello[i] == '\n') {
                    hello[i] = 0x0b;
                }
            }
            return new Request("tls-hello", hello, true, false);
        }
        if (kind == 1) {
            return new Request("cr-only", ("GET /healthz HTTP/1.1\rHost: x\r\r").getBytes(StandardCharsets.ISO_8859_1), true, false);
        }
        if (kind < 6) {
            byte[] junk = new byte[1 + random.nextInt(300)];
            random.nextBytes(junk);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(junk);
            b.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            // Random bytes may happen to contain nothing the decoder can call a request.
            return new Request("garbage", b.toByteArray(), true, false);
        }
        if (kind < 8) {
            return new Request("h2-preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), true, false);
        }

        boolean autodiscover = random.nextInt(4) == 0;
        String path = autodiscover ? pick(PATHS.subList(12, 15)) : random.nextInt(3) > 0 ? pick(ADDRESS_PATHS)
                : random.nextInt(6) == 0 ? "/" + encode(randomText(1 + random.nextInt(30))) : pick(PATHS);
        String method = autodiscover && random.nextInt(6) > 0 ? "POST" : pick(METHODS);
        String version = random.nextInt(10) == 0 ? pick(VERSIONS) : "HTTP/1.1";
        String target = autodiscover ? path : path + query(path);
        if (random.nextInt(40) == 0) {
            target = target + "/" + "z".repeat(5_000);   // longer than the request line may be
        }
        String eol = random.nextInt(25) == 0 ? "\n" : "\r\n";
        StringBuilder head = new StringBuilder(method).append(' ').append(target);
        if (!version.isEmpty()) {
            head.append(' ').append(version);
        }
        head.append(eol);
        if (random.nextInt(25) > 0) {
            head.append("Host: ").append(random.nextInt(20) == 0 ? "ua-auto-config." + pick(DOMAINS) : "127.0.0.1").append(eol);
        }
        boolean unanswerable = false;
        byte[] body = new byte[0];
        if (method.equals("POST") || random.nextInt(20) == 0) {
            String xml = random.nextInt(3) > 0
                    ? "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\">"
                    + "<Request><EMailAddress>" + xmlEscape(address()) + "</EMailAddress><AcceptableResponseSchema>"
                    + pick(new String[] {"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a",
                            "urn:other", ""}) + "</AcceptableResponseSchema></Request></Autodiscover>"
                    : String.format(pick(XML_BODIES), xmlEscape(address()));
            if (random.nextInt(30) == 0) {
                xml = xml + "<!--" + "p".repeat(9_000) + "-->";   // over the body limit
            }
            body = xml.getBytes(StandardCharsets.UTF_8);
            String type = pick(new String[] {"text/xml", "text/xml; charset=utf-8", "application/xml", null,
                    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json",
                    "text/xml; charset=nonsense", "application/soap+xml"});
            if (type != null) {
                head.append("Content-Type: ").append(type).append(eol);
            }
            switch (random.nextInt(12)) {
                case 0 -> {
                    // Chunked, sometimes with a chunk size that is not a number.
                    head.append("Transfer-Encoding: chunked").append(eol);
                    String size = random.nextBoolean() ? Integer.toHexString(body.length) : "zz";
                    unanswerable = size.equals("zz");
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    b.writeBytes((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    b.writeBytes(body);
                    b.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    body = b.toByteArray();
                }
                case 1 -> head.append("Content-Length: ").append(pick(new String[] {"-1", "abc", "99999999999999999999", "1, 2"})).append(eol);
                case 2 -> {
                    // Both framings (request smuggling's shape): chunked wins, and a body that is not
                    // chunked breaks the stream, which Vert.x then closes without an answer.
                    head.append("Content-Length: ").append(body.length).append(eol)
                            .append("Transfer-Encoding: chunked").append(eol);
                    unanswerable = true;
                }
                default -> head.append("Content-Length: ").append(body.length).append(eol);
            }
        }
        switch (random.nextInt(30)) {
            case 0 -> head.append("X-Big: ").append("h".repeat(9_000)).append(eol);
            case 1 -> head.append("NoColonHere").append(eol);
            case 2 -> head.append(" folded: continuation").append(eol);
            case 3 -> head.append("Bad Name: x").append(eol);
            case 4 -> head.append("X-Forwarded-For: ").append(randomText(20)).append(eol);
            case 5 -> head.append("Origin: https://evil.example").append(eol);
            case 6 -> head.append("Expect: 100-continue").append(eol);
            case 7 -> head.append("X-Addr: ").append(address().replace('\r', ' ').replace('\n', ' ')).append(eol);
            case 8 -> {
                for (int i = 0; i < 120; i++) {
                    head.append("X-Many-").append(i).append(": ").append(i).append(eol);
                }
            }
            default -> { }
        }
        head.append("Connection: close").append(eol).append(eol);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Header bytes as ISO-8859-1, except that some requests carry raw UTF-8 in the line itself.
        out.writeBytes(head.toString().getBytes(random.nextInt(10) == 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return new Request(method + " " + path, out.toByteArray(), unanswerable, method.equals("HEAD"));
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
