package org.mailsetup.e2e;

import java.time.Duration;
import org.mailsetup.MailSetup;
import org.mailsetup.SourceName;
import org.mailsetup.testkit.E2eServers;
import org.mailsetup.testkit.FakeDnsServer;

/** What the e2e tests of contacts, calendars and JMAP share: discovery in the lab, and mail for their domains. */
final class Lab {

    private Lab() {
    }

    /** Discovery through this DNS to the lab's loopback hosts, trusting the lab's CA, uncached. */
    static MailSetup.Builder discovery(FakeDnsServer dns) {
        return MailSetup.builder()
                .dnsServer(dns.address())
                .allowNetwork("127.0.0.0/8")
                .caFile(E2eServers.workDir().resolve("pki/ca.pem"))
                // The online ISPDB would only get NXDOMAIN from the fake DNS; leave it out of the picture.
                .disable(SourceName.ISPDB)
                .cache(0, Duration.ZERO)
                .timeout(Duration.ofSeconds(10));
    }

    /** Each domain's mail is the good lab host's, announced by SRV, so every answer is a whole account. */
    static void mailAtGoodTest(FakeDnsServer dns, String... domains) {
        for (String d : domains) {
            dns.zone(d);
            dns.srv("_imaps._tcp." + d, 0, 1, 993, "mail.good.test")
                    .srv("_submissions._tcp." + d, 0, 1, 465, "mail.good.test");
        }
    }
}
