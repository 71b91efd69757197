package org.mailsetup.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;
import org.mailsetup.MailSetup;
import org.mailsetup.Service;
import org.mailsetup.ServiceSettings;
import org.mailsetup.SourceName;
import org.mailsetup.testkit.E2eRadicale;
import org.mailsetup.testkit.E2eServers;
import org.mailsetup.testkit.FakeDnsServer;

/**
 * Contacts and calendars found and verified against a real Radicale (CalDAV and CardDAV behind its own TLS,
 * {@link E2eRadicale}): the domain's well-known URLs, which Radicale redirects to {@code /}; SRV records with a
 * TXT path; a certificate that does not name the host. Mail comes from the lab's Dovecot and Postfix, so each
 * answer is a whole account. JMAP has a real server of its own: {@link JmapE2eTest}.
 */
@Tag("e2e")
class DavE2eTest {

    private static FakeDnsServer dns;
    private static MailSetup mailSetup;

    @BeforeAll
    static void setUp() throws Exception {
        if (!E2eServers.running()) {
            return;
        }
        dns = E2eRadicale.namesFor(E2eServers.namesFor(new FakeDnsServer().start()));
        Lab.mailAtGoodTest(dns, "dav.test", "cal.dav.test", "elsewhere.test");
        dns.a("cal.dav.test", E2eRadicale.ADDRESS);
        // cal.dav.test says where its calendars and address books are: in-domain targets, a TXT path each.
        dns.srv("_caldavs._tcp.cal.dav.test", 0, 1, 443, "cal.dav.test")
                .txt("_caldavs._tcp.cal.dav.test", "path=/alice/calendar/")
                .srv("_carddavs._tcp.cal.dav.test", 0, 1, 443, "cal.dav.test")
                .txt("_carddavs._tcp.cal.dav.test", "path=/alice/contacts/");
        // elsewhere.test points at Radicale under a name its certificate does not carry.
        dns.a("dav.wrongname.test", E2eRadicale.ADDRESS)
                .srv("_carddavs._tcp.elsewhere.test", 0, 1, 443, "dav.wrongname.test");
        mailSetup = Lab.discovery(dns)
                .services(Service.CONTACTS, Service.CALENDARS)
                .build();
    }

    @AfterAll
    static void tearDown() {
        if (mailSetup != null) {
            mailSetup.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @BeforeEach
    void serversRunning() {
        E2eServers.assumeRunning();
        E2eRadicale.assumeRunning();
    }

    private static DiscoveryResult lookup(String address) throws Exception {
        return mailSetup.lookup(EmailAddress.parse(address), mailSetup.defaults()).get();
    }

    private static Optional<ServiceSettings> find(List<ServiceSettings> list, String url) {
        return list.stream().filter(s -> s.url().equals(url)).findFirst();
    }

    @Test
    void theDomainsWellKnownUrlsLeadToRadicaleWhichIsVerifiedAndTrusted() throws Exception {
        DiscoveryResult r = lookup("alice@dav.test");

        assertThat(r.bestIncoming()).hasValueSatisfying(s -> assertThat(s.verified()).isTrue());
        for (Service service : List.of(Service.CONTACTS, Service.CALENDARS)) {
            ServiceSettings best = r.endpoints(service).getFirst();
            // Radicale answers /.well-known/caldav and /.well-known/carddav with 301 to "/".
            assertThat(best.url()).as(service.id()).isEqualTo("https://dav.test/");
            assertThat(best.verified()).as(service.id()).isTrue();
            assertThat(best.trusted()).as("https all the way, within the domain").isTrue();
            assertThat(best.foundBy()).contains(service == Service.CONTACTS ? SourceName.CARDDAV : SourceName.CALDAV);
            assertThat(best.username()).isEqualTo("alice@dav.test");
            assertThat(best.probe().ok()).isTrue();
            assertThat(best.probe().certificateIssuer()).isEqualTo("CN=mailsetup e2e test CA");
            assertThat(best.probe().address()).isEqualTo(E2eRadicale.ADDRESS);
        }
        // What Radicale's OPTIONS answer says, without credentials.
        assertThat(r.contacts().getFirst().probe().davClasses()).contains("addressbook");
        assertThat(r.calendars().getFirst().probe().davClasses()).contains("calendar-access");
        assertThat(r.calendars().getFirst().probe().finalUrl()).isEqualTo("https://dav.test/");
        assertThat(r.jmap()).as("JMAP was not asked for").isEmpty();
    }

    @Test
    void inDomainSrvRecordsWithTxtPathsGiveTheCollectionsTrusted() throws Exception {
        DiscoveryResult r = lookup("alice@cal.dav.test");

        ServiceSettings calendar = find(r.calendars(), "https://cal.dav.test/alice/calendar/")
                .orElseThrow(() -> new AssertionError("no SRV calendar in " + r.calendars()));
        assertThat(calendar.foundBy()).contains(SourceName.CALDAV);
        assertThat(calendar.trusted()).isTrue();
        assertThat(calendar.verified()).as(String.valueOf(calendar.probe())).isTrue();
        ServiceSettings book = find(r.contacts(), "https://cal.dav.test/alice/contacts/")
                .orElseThrow(() -> new AssertionError("no SRV address book in " + r.contacts()));
        assertThat(book.verified()).as(String.valueOf(book.probe())).isTrue();
        // The domain's own well-known URL is found as well, ranked after the verified collection, and not
        // probed once that one answered (the early stop works per service).
        assertThat(r.calendars().getFirst().verified()).isTrue();
        assertThat(find(r.calendars(), "https://cal.dav.test/")).hasValueSatisfying(s -> {
            assertThat(s.trusted()).isTrue();
            assertThat(s.verified() || s.notProbed() != null).as(s.notProbed() + " / " + s.probe()).isTrue();
        });
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsNeverVerified() throws Exception {
        DiscoveryResult r = lookup("alice@elsewhere.test");

        assertThat(r.bestIncoming()).hasValueSatisfying(s -> assertThat(s.verified()).isTrue());
        assertThat(r.contacts()).allSatisfy(s -> {
            assertThat(s.verified()).as(s.url()).isFalse();
            assertThat(s.trusted()).as("an SRV target outside the domain").isFalse();
        });
        ServiceSettings wrong = r.contacts().stream().filter(s -> s.host().equals("dav.wrongname.test")).findFirst()
                .orElseThrow(() -> new AssertionError("the SRV target is offered, unverified: " + r.contacts()));
        assertThat(wrong.probe()).as(wrong.notProbed()).isNotNull();
        assertThat(wrong.probe().ok()).isFalse();
        assertThat(wrong.probe().certificateValid()).isFalse();
        assertThat(wrong.probe().failure()).contains("dav.wrongname.test");
        assertThat(r.calendars()).as("nothing announces calendars for elsewhere.test").isEmpty();
    }
}
