package org.mailsetup.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The script's Radicale behaves as {@link E2eRadicale} says, so the DAV e2e tests stand on known ground. */
class E2eRadicaleTest {

    @BeforeEach
    void radicale() {
        E2eRadicale.assumeRunning();
    }

    @Test
    void wellKnownPathsRedirectToTheContextPath() throws Exception {
        for (String service : List.of("caldav", "carddav")) {
            String answer = exchange("GET /.well-known/" + service + " HTTP/1.1", "");
            assertThat(answer).startsWith("HTTP/1.0 301").containsIgnoringCase("\r\nLocation: /\r\n");
        }
    }

    @Test
    void optionsNamesBothServicesWithoutCredentials() throws Exception {
        String answer = exchange("OPTIONS / HTTP/1.1", "");
        assertThat(answer).startsWith("HTTP/1.0 200")
                .containsPattern("(?i)\r\nDAV: [^\r]*calendar-access")
                .containsPattern("(?i)\r\nDAV: [^\r]*addressbook");
    }

    @Test
    void propfindAsksForBasicAuthenticationAndTheTestUserGetsIn() throws Exception {
        String body = "<?xml version=\"1.0\"?><propfind xmlns=\"DAV:\"><prop><current-user-principal/></prop></propfind>";
        String anonymous = exchange("PROPFIND / HTTP/1.1", "Depth: 0\r\n", body);
        assertThat(anonymous).startsWith("HTTP/1.0 401").containsIgnoringCase("WWW-Authenticate: Basic realm=");

        String credentials = Base64.getEncoder().encodeToString(
                (E2eRadicale.USER + ":" + E2eRadicale.PASSWORD).getBytes(StandardCharsets.UTF_8));
        String known = exchange("PROPFIND /alice/ HTTP/1.1", "Depth: 1\r\nAuthorization: Basic " + credentials + "\r\n", body);
        assertThat(known).startsWith("HTTP/1.0 207")
                .contains("<href>/alice/calendar/</href>")
                .contains("<href>/alice/contacts/</href>");
    }

    private static String exchange(String requestLine, String headers) throws Exception {
        return exchange(requestLine, headers, null);
    }

    /** One request over TLS validated against the test CA, for the host name dav.test. */
    private static String exchange(String requestLine, String headers, String body) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {E2eServers.trustManager()}, null);
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(E2eRadicale.ADDRESS, E2eRadicale.PORT)) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(E2eRadicale.DOMAIN)));
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.setSoTimeout(10_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = requestLine + "\r\nHost: " + E2eRadicale.DOMAIN + "\r\n" + headers
                    + (body == null ? "" : "Content-Type: application/xml\r\n")
                    + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
