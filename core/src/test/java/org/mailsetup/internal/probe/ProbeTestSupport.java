package org.mailsetup.internal.probe;

import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.mailsetup.Cidr;
import org.mailsetup.Endpoint;
import org.mailsetup.ProbeReport;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsJavaClient;
import org.mailsetup.internal.net.Dialer;
import org.mailsetup.internal.net.NetworkPolicy;
import org.mailsetup.testkit.FakeDnsServer;
import org.mailsetup.testkit.ScriptedMailServer;

/** A fake DNS naming the loopback scripted servers, a test CA, and a prober that trusts it. */
abstract class ProbeTestSupport {

    static final String HOST = "mail.example.test";
    static final NetworkPolicy LOOPBACK = NetworkPolicy.allowing(List.of(Cidr.parse("127.0.0.0/8")));

    static FakeDnsServer dns;
    static DnsJavaClient dnsClient;
    static TestPki pki;
    static SSLContext goodTls;
    static SocketProber prober;

    @BeforeAll
    static void startDns() throws Exception {
        dns = new FakeDnsServer().start()
                .a(HOST, "127.0.0.1")
                .a("other.example.test", "127.0.0.1")
                .a("public.example.test", "127.0.0.1")
                .nxdomain("missing.example.test");
        dnsClient = DnsJavaClient.using(dns.address());
        pki = new TestPki();
        goodTls = pki.serverContext(pki.server(HOST));
        prober = SocketProber.create(Dialer.create(LOOPBACK, dnsClient), pki.trustManager());
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    static ProbeReport probe(Protocol protocol, Security security, ScriptedMailServer server) {
        return probe(protocol, security, server, Duration.ofSeconds(5));
    }

    static ProbeReport probe(Protocol protocol, Security security, ScriptedMailServer server, Duration timeout) {
        return prober.probe(new Endpoint(protocol, HOST, server.port(), security), Deadline.after(timeout));
    }

    /** Lines the server got, once the prober has hung up. */
    static List<String> linesReceived(ScriptedMailServer server) throws InterruptedException {
        server.awaitIdle(Duration.ofSeconds(5));
        return server.received();
    }
}
