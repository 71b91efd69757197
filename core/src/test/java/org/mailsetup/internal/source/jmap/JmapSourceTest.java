package org.mailsetup.internal.source.jmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mailsetup.internal.source.WebFixture.redirect;

import java.io.IOException;
import java.time.Duration;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailsetup.Service;
import org.mailsetup.internal.discovery.ServiceCandidate;
import org.mailsetup.internal.discovery.SourceOutcome;
import org.mailsetup.internal.source.WebFixture;

/** RFC 8620 §2.2 against an in-process DNS server and web servers on loopback. */
@Timeout(30)
class JmapSourceTest {

    private static final String D = "example.org";
    private static final String SESSION = "{\"capabilities\":{\"urn:ietf:params:jmap:core\":{}}}";
    private final WebFixture web = new WebFixture().hosts(D, "jmap.example.net");

    JmapSourceTest() throws IOException {
    }

    @AfterEach
    void close() {
        web.close();
    }

    private SourceOutcome discover() throws Exception {
        return new JmapSource().discover(web.context("ann@example.org", Duration.ofSeconds(10)));
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void theWellKnownUrlLeadsToTheSessionResource() throws Exception {
        web.route("https", D, "/.well-known/jmap", redirect(web.httpsUrl(D, "/jmap/session")))
                .route("https", D, "/jmap/session", json(SESSION));

        SourceOutcome o = discover();

        assertThat(o.services()).extracting(ServiceCandidate::service, ServiceCandidate::url, ServiceCandidate::trusted)
                .containsExactly(tuple(Service.JMAP, web.httpsUrl(D, "/jmap/session"), true));
    }

    @Test
    void anSrvTargetsWellKnownUrlIsAnUntrustedCandidateOutsideTheDomain() throws Exception {
        web.dns.srv("_jmap._tcp.example.org", 0, 1, web.https.getPort(), "jmap.example.net");
        web.route("https", "jmap.example.net", "/.well-known/jmap", new MockResponse.Builder().code(401)
                .setHeader("WWW-Authenticate", "Bearer realm=\"jmap\"").build());

        SourceOutcome o = discover();

        assertThat(o.services()).extracting(ServiceCandidate::url, ServiceCandidate::trusted)
                .containsExactly(tuple(web.httpsUrl("jmap.example.net", "/.well-known/jmap"), false));
        assertThat(o.detail()).contains("_jmap._tcp.example.org -> jmap.example.net");
    }

    @Test
    void anHtmlPageAtTheWellKnownPathIsNotASession() throws Exception {
        web.route("https", D, "/.well-known/jmap", new MockResponse.Builder().code(200)
                .setHeader("Content-Type", "text/html; charset=utf-8").body("<html>hello</html>").build());

        SourceOutcome o = discover();

        assertThat(o).isInstanceOf(SourceOutcome.Empty.class);
        assertThat(o.detail()).contains("answered an HTML page, not a JMAP session").contains("no SRV record");
    }

    @Test
    void anSrvTargetDotSaysJmapIsNotOffered() throws Exception {
        web.dns.srv("_jmap._tcp.example.org", 0, 0, 0, ".");

        assertThat(discover().detail()).contains("_jmap._tcp.example.org: not offered");
    }
}
