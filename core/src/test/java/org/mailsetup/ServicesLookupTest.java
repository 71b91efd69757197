package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsetup.internal.source.WebFixture.redirect;
import static org.mailsetup.internal.source.WebFixture.status;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import mockwebserver3.MockResponse;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.config.ServiceConfig;
import org.mailsetup.internal.source.WebFixture;
import org.mailsetup.testkit.ScriptedMailServer;

/**
 * Lookups that cover contacts, calendars and JMAP, end to end through {@link MailSetup}: in-process DNS, https web
 * servers and scripted mail servers on loopback, all behind certificates of one test CA.
 */
@Timeout(60)
class ServicesLookupTest {

    private static final String D = "example.org";
    private static final String SESSION = """
            {"capabilities": {"urn:ietf:params:jmap:core": {}, "urn:ietf:params:jmap:mail": {}},
             "accounts": {}, "apiUrl": "https://example.org/jmap/api/"}""";

    private WebFixture web;
    private ScriptedMailServer imap;
    private ScriptedMailServer smtp;

    @BeforeEach
    void start() throws IOException {
        web = new WebFixture().hosts(D, "imap.example.org", "smtp.example.org", "dav.example.org");
        imap = ScriptedMailServer.builder().implicitTls(tls("imap.example.org"))
                .send("* OK ready").expect("a1 CAPABILITY").send("* CAPABILITY IMAP4rev1 AUTH=PLAIN").send("a1 OK done")
                .expect("a2 LOGOUT").send("a2 OK bye").start();
        smtp = ScriptedMailServer.builder().implicitTls(tls("smtp.example.org"))
                .send("220 smtp.example.org ESMTP").expect("EHLO .*").send("250-smtp.example.org").send("250 AUTH PLAIN")
                .expect("QUIT").send("221 bye").start();
        web.dns.mx(D, 10, "mx.example.org")
                .srv("_imaps._tcp.example.org", 0, 1, imap.port(), "imap.example.org")
                .srv("_submissions._tcp.example.org", 0, 1, smtp.port(), "smtp.example.org");
    }

    @AfterEach
    void stop() {
        imap.close();
        smtp.close();
        web.close();
    }

    private SSLContext tls(String host) {
        HeldCertificate leaf = new HeldCertificate.Builder().signedBy(web.tls.ca()).commonName(host)
                .addSubjectAlternativeName(host).build();
        return new HandshakeCertificates.Builder().heldCertificate(leaf, web.tls.ca().certificate()).build().sslContext();
    }

    private MailSetup.Builder builder() {
        return MailSetup.builder().dnsServer(web.dns.address()).allowNetwork("127.0.0.0/8")
                .trustCertificates(List.of(web.tls.ca().certificate()))
                .webPorts(web.http.getPort(), web.https.getPort()).cache(0, Duration.ZERO);
    }

    private void serveEveryService() {
        web.route("PROPFIND", "https", D, "/.well-known/caldav", redirect(web.httpsUrl(D, "/dav/cal/")))
                .route("PROPFIND", "https", D, "/dav/cal/", status(207))
                .route("OPTIONS", "https", D, "/dav/cal/", status(200, "DAV", "1, 2, calendar-access"))
                .route("PROPFIND", "https", D, "/.well-known/carddav", redirect(web.httpsUrl(D, "/dav/card/")))
                .route("https", D, "/dav/card/", status(401, "WWW-Authenticate", "Basic realm=\"dav\""))
                .route("https", D, "/.well-known/jmap", redirect(web.httpsUrl(D, "/jmap/session")))
                .route("https", D, "/jmap/session", new MockResponse.Builder().code(200)
                        .setHeader("Content-Type", "application/json").body(SESSION).build());
    }

    @Test
    void everyServiceIsFoundVerifiedAndTrustedBesideMail() {
        serveEveryService();
        try (MailSetup m = builder().timeout(Duration.ofSeconds(8)).services(Service.values()).build()) {
            DiscoveryResult r = m.lookupBlocking("ann@example.org");

            assertThat(r.bestIncoming().orElseThrow().verified()).isTrue();
            assertThat(r.bestOutgoing().orElseThrow().verified()).isTrue();
            ServiceSettings cal = r.calendars().getFirst();
            assertThat(cal.url()).isEqualTo(web.httpsUrl(D, "/dav/cal/"));
            assertThat(cal.verified()).isTrue();
            assertThat(cal.trusted()).isTrue();
            assertThat(cal.foundBy()).containsExactly(SourceName.CALDAV);
            assertThat(cal.probe().davClasses()).contains("calendar-access");
            assertThat(cal.username()).isEqualTo("ann@example.org");
            ServiceSettings card = r.contacts().getFirst();
            assertThat(card.verified()).isTrue();
            assertThat(card.probe().authSchemes()).containsExactly("Basic");
            assertThat(card.auth()).containsExactly("http-basic");
            ServiceSettings jmap = r.jmap().getFirst();
            assertThat(jmap.url()).isEqualTo(web.httpsUrl(D, "/jmap/session"));
            assertThat(jmap.probe().capabilities()).containsExactly("urn:ietf:params:jmap:core", "urn:ietf:params:jmap:mail");
            assertThat(r.source(SourceName.JMAP).orElseThrow().status()).isEqualTo(SourceStatus.FOUND);
            assertThat(r.endpoints(Service.CONTACTS)).isEqualTo(r.contacts());
        }
    }

    @Test
    void aMailOnlyLookupAsksNothingForTheOtherServices() {
        serveEveryService();
        try (MailSetup m = builder().timeout(Duration.ofSeconds(8)).build()) {
            DiscoveryResult r = m.lookupBlocking("ann@example.org");

            assertThat(r.bestIncoming().orElseThrow().verified()).isTrue();
            assertThat(r.contacts()).isEmpty();
            assertThat(r.calendars()).isEmpty();
            assertThat(r.jmap()).isEmpty();
            assertThat(r.sources()).extracting(SourceReport::name)
                    .doesNotContain(SourceName.CALDAV, SourceName.CARDDAV, SourceName.JMAP);
            assertThat(web.requested()).noneMatch(u -> u.contains("/.well-known/caldav") || u.contains("/dav/")
                    || u.contains("jmap"));
            assertThat(web.dns.queryCount("_caldavs._tcp.example.org", "SRV")).isZero();

            // The same instance covers more per call.
            DiscoveryResult more = m.lookup("ann@example.org", m.defaults().withServices(Service.CALENDARS)).join();
            assertThat(more.calendars()).hasSize(1);
            assertThat(more.contacts()).isEmpty();
        }
    }

    @Test
    void aHangingCalendarServerNeitherStarvesTheMailProbesNorOutlastsTheDeadline() {
        serveEveryService();
        web.route("PROPFIND", "https", D, "/.well-known/caldav", new MockResponse.Builder().code(207)
                .headersDelay(20, TimeUnit.SECONDS).build());
        try (MailSetup m = builder().timeout(Duration.ofSeconds(3)).services(Service.values()).build()) {
            long t0 = System.nanoTime();
            DiscoveryResult r = m.lookupBlocking("ann@example.org");
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.bestIncoming().orElseThrow().verified()).isTrue();
            assertThat(r.bestOutgoing().orElseThrow().verified()).isTrue();
            assertThat(r.contacts().getFirst().verified()).isTrue();
            assertThat(r.calendars()).isEmpty();
            assertThat(r.source(SourceName.CALDAV).orElseThrow().status()).isEqualTo(SourceStatus.TIMEOUT);
            assertThat(ms).isLessThan(4_500);
        }
    }

    @Test
    void endpointsOfTheProviderEntryComeWithItsMailServersAlsoByMx() {
        ClientConfig entry = new ClientConfig("hosted", List.of("hosted.example"), "Hosted", null,
                List.of(new ServerConfig(Protocol.IMAP, "imap.example.org", 993, Security.TLS, null, List.of())),
                List.of(), List.of(), List.of("mx.example.org"), List.of(), null, null, null,
                List.of(new ServiceConfig(Service.CONTACTS, "https://dav.example.org/card/%EMAILLOCALPART%/",
                                "%EMAILLOCALPART%", List.of("http-basic")),
                        new ServiceConfig(Service.CALENDARS, "http://dav.example.org/cal/", null, List.of())));
        ProviderIndex index = new ProviderIndex() {
            public Optional<ClientConfig> byDomain(String d) {
                return d.equals("hosted.example") ? Optional.of(entry) : Optional.empty();
            }

            public Optional<ClientConfig> byMxHost(String h) {
                return h.equals("mx.example.org") ? Optional.of(entry) : Optional.empty();
            }
        };
        try (MailSetup m = builder().providers(index).verify(false).timeout(Duration.ofSeconds(5))
                .services(Service.CONTACTS, Service.CALENDARS).build()) {
            DiscoveryResult direct = m.lookupBlocking("ann@hosted.example");
            ServiceSettings card = direct.contacts().getFirst();
            assertThat(card.url()).isEqualTo("https://dav.example.org/card/ann/");
            assertThat(card.username()).isEqualTo("ann");
            assertThat(card.usernameTemplate()).isEqualTo("%EMAILLOCALPART%");
            assertThat(card.trusted()).isTrue();
            assertThat(card.foundBy()).containsExactly(SourceName.PROVIDER_DB);
            assertThat(card.notProbed()).isEqualTo("verification is switched off");
            // A plain-http URL is tried with https, and no source vouches for it.
            ServiceSettings cal = direct.calendars().getFirst();
            assertThat(cal.url()).isEqualTo("https://dav.example.org/cal/");
            assertThat(cal.trusted()).isFalse();

            // example.org's MX matches the entry's reviewed pattern: its endpoints come along.
            DiscoveryResult byMx = m.lookupBlocking("bob@example.org");
            assertThat(byMx.contacts()).extracting(ServiceSettings::url, ServiceSettings::foundBy)
                    .contains(org.assertj.core.api.Assertions.tuple("https://dav.example.org/card/bob/",
                            List.of(SourceName.MX)));
        }
    }
}
