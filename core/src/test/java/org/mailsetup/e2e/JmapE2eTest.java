package org.mailsetup.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.mailsetup.testkit.E2eJmap;
import org.mailsetup.testkit.E2eServers;
import org.mailsetup.testkit.FakeDnsServer;

/**
 * JMAP found and verified against a real server: Cyrus IMAP's httpd with its JMAP module ({@link E2eJmap}),
 * whose {@code /.well-known/jmap} redirects to the session resource, which asks for Basic authentication;
 * the verification sends no credentials and takes that challenge as the evidence. Mail comes from the lab's
 * Dovecot and Postfix.
 */
@Tag("e2e")
class JmapE2eTest {

    private static FakeDnsServer dns;
    private static MailSetup mailSetup;

    @BeforeAll
    static void setUp() throws Exception {
        if (!E2eServers.running()) {
            return;
        }
        dns = E2eJmap.namesFor(E2eServers.namesFor(new FakeDnsServer().start()));
        Lab.mailAtGoodTest(dns, "jmap.test", "elsewhere.test");
        // elsewhere.test names the JMAP host by SRV, outside its own domain.
        dns.srv("_jmap._tcp.elsewhere.test", 0, 1, 443, "jmap.jmap.test");
        mailSetup = Lab.discovery(dns).build();
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
        E2eJmap.assumeRunning();
    }

    private static DiscoveryResult lookup(String address) throws Exception {
        return mailSetup.lookup(EmailAddress.parse(address), mailSetup.defaults().withServices(Service.JMAP)).get();
    }

    @Test
    void theDomainsWellKnownUrlLeadsToTheSessionWhoseChallengeVerifiesIt() throws Exception {
        DiscoveryResult r = lookup("alice@jmap.test");

        assertThat(r.bestIncoming()).hasValueSatisfying(s -> assertThat(s.verified()).isTrue());
        ServiceSettings jmap = r.jmap().getFirst();
        assertThat(jmap.url()).isEqualTo(E2eJmap.SESSION_URL);
        assertThat(jmap.verified()).as(String.valueOf(jmap.probe())).isTrue();
        assertThat(jmap.trusted()).as("https all the way, within the domain").isTrue();
        assertThat(jmap.foundBy()).contains(SourceName.JMAP);
        assertThat(jmap.probe().status()).isEqualTo(401);
        assertThat(jmap.probe().authSchemes()).contains("Basic");
        assertThat(jmap.probe().address()).isEqualTo(E2eJmap.ADDRESS);
        assertThat(jmap.probe().certificateIssuer()).isEqualTo("CN=mailsetup e2e test CA");
        assertThat(r.contacts()).as("contacts were not asked for").isEmpty();
    }

    @Test
    void anSrvTargetOutsideTheDomainIsVerifiedButNotTrusted() throws Exception {
        DiscoveryResult r = lookup("bob@elsewhere.test");

        // Cyrus redirects to the session resource on the host it was asked as.
        ServiceSettings jmap = r.jmap().stream().filter(s -> s.url().equals("https://jmap.jmap.test/jmap")).findFirst()
                .orElseThrow(() -> new AssertionError("no session URL from the SRV target in " + r.jmap()));
        assertThat(jmap.verified()).as(String.valueOf(jmap.probe())).isTrue();
        assertThat(jmap.trusted()).isFalse();
        assertThat(jmap.probe().authSchemes()).contains("Basic");
    }
}
