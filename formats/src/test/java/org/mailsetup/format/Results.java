package org.mailsetup.format;

import java.util.List;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.ProbeReport;
import org.mailsetup.Protocol;
import org.mailsetup.ProviderInfo;
import org.mailsetup.Security;
import org.mailsetup.ServerSettings;
import org.mailsetup.Service;
import org.mailsetup.ServiceSettings;
import org.mailsetup.SourceName;

/** Hand-made results for format tests (the HTTP tests use real lookups). */
final class Results {

    private Results() {
    }

    static ServerSettings server(Protocol p, String host, int port, Security sec, String user,
                                 boolean trusted, boolean verified, String... auth) {
        return new ServerSettings(p, host, port, sec, user, List.of(auth), trusted, verified,
                List.of(SourceName.SRV), verified ? ok() : null);
    }

    /** A trusted server whose probe failed this way. */
    static ServerSettings failed(Protocol p, String host, int port, ProbeReport.FailureKind kind, String why) {
        return new ServerSettings(p, host, port, Security.TLS, "u", "%EMAILLOCALPART%", List.of(), true, false,
                List.of(SourceName.AUTOCONFIG), new ProbeReport(false, -1, null, null, null, null, null, null, false,
                null, List.of(), List.of(), List.of(), why, kind));
    }

    static ProbeReport ok() {
        return new ProbeReport(true, 5, "192.0.2.1", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "CN=x", "CN=ca",
                "2030-01-01", true, "* OK ready", List.of("IMAP4rev1"), List.of("PLAIN"),
                List.of("password-cleartext"), null, null);
    }

    static DiscoveryResult result(String email, String domain, List<ServerSettings> in, List<ServerSettings> out) {
        return result(email, domain, new ProviderInfo("ex", "Ex & <Co>"), in, out);
    }

    static DiscoveryResult result(String email, String domain, ProviderInfo provider, List<ServerSettings> in,
                                  List<ServerSettings> out) {
        return new DiscoveryResult(email, domain, provider, in, out, List.of(), List.of(), 12, null);
    }

    /** A contacts, calendars or JMAP endpoint for alice@example.org. */
    static ServiceSettings endpoint(Service service, String url, boolean trusted, boolean verified, String... auth) {
        return new ServiceSettings(service, url, "alice@example.org", "%EMAILADDRESS%", List.of(auth), trusted,
                verified, List.of(SourceName.SRV), null, verified ? null : "not probed in this test");
    }

    /** The result with these endpoints beside its mail servers. */
    static DiscoveryResult withEndpoints(DiscoveryResult r, List<ServiceSettings> endpoints) {
        return new DiscoveryResult(r.email(), r.domain(), r.provider(), r.incoming(), r.outgoing(),
                of(endpoints, Service.CONTACTS), of(endpoints, Service.CALENDARS), of(endpoints, Service.JMAP),
                r.sources(), r.warnings(), r.elapsedMs(), r.error());
    }

    private static List<ServiceSettings> of(List<ServiceSettings> all, Service service) {
        return all.stream().filter(e -> e.service() == service).toList();
    }
}
