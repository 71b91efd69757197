package org.mailsetup.format;

import java.util.List;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.Protocol;
import org.mailsetup.ProviderInfo;
import org.mailsetup.Security;
import org.mailsetup.ServerSettings;
import org.mailsetup.SourceName;

/** Hand-made results for format tests (the HTTP tests use real lookups). */
final class Results {

    private Results() {
    }

    static ServerSettings server(Protocol p, String host, int port, Security sec, String user,
                                 boolean trusted, boolean verified, String... auth) {
        return new ServerSettings(p, host, port, sec, user, List.of(auth), trusted, verified,
                List.of(SourceName.SRV), null);
    }

    static DiscoveryResult result(String email, String domain, List<ServerSettings> in, List<ServerSettings> out) {
        return new DiscoveryResult(email, domain, new ProviderInfo("ex", "Ex & <Co>"), in, out, List.of(), List.of(),
                12, null);
    }
}
