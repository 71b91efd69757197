package org.mailsetup.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
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
        return LabHttps.exchange(E2eRadicale.ADDRESS, E2eRadicale.DOMAIN, requestLine, headers, null);
    }

    private static String exchange(String requestLine, String headers, String body) throws Exception {
        return LabHttps.exchange(E2eRadicale.ADDRESS, E2eRadicale.DOMAIN, requestLine, headers, body);
    }
}
