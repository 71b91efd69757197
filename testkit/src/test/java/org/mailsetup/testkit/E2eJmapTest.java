package org.mailsetup.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The script's Cyrus serves JMAP as {@link E2eJmap} says, so the JMAP e2e tests stand on known ground. */
class E2eJmapTest {

    @BeforeEach
    void cyrus() {
        E2eJmap.assumeRunning();
    }

    private static String get(String path, String headers) throws Exception {
        return LabHttps.exchange(E2eJmap.ADDRESS, E2eJmap.DOMAIN, "GET " + path + " HTTP/1.1", headers, null);
    }

    @Test
    void theWellKnownUrlRedirectsToTheSessionResourceWhichAsksForBasicAuthentication() throws Exception {
        assertThat(get("/.well-known/jmap", "")).startsWith("HTTP/1.1 301")
                .containsIgnoringCase("\r\nLocation: " + E2eJmap.SESSION_URL + "\r\n");
        assertThat(get("/jmap", "")).startsWith("HTTP/1.1 401").containsIgnoringCase("WWW-Authenticate: Basic realm=");
    }

    @Test
    void theTestUserGetsASessionObjectWithTheCoreCapability() throws Exception {
        String credentials = Base64.getEncoder().encodeToString(
                (E2eJmap.USER + ":" + E2eJmap.PASSWORD).getBytes(StandardCharsets.UTF_8));
        String answer = get("/jmap", "Authorization: Basic " + credentials + "\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200").contains("\"urn:ietf:params:jmap:core\"")
                .contains("\"username\":\"" + E2eJmap.USER + "\"");
    }
}
