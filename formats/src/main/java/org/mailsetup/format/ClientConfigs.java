package org.mailsetup.format;

import java.util.List;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.ServerSettings;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.ServerConfig;

/** Turns a lookup result into the config-v1.1 model that {@link ClientConfigWriter} writes. */
public final class ClientConfigs {

    private ClientConfigs() {
    }

    /** A config holding the chosen servers, in rank order; the usernames are the literal ones found. */
    public static ClientConfig fromResult(DiscoveryResult result, BestSettings best) {
        String name = result.provider() != null ? result.provider().name() : result.domain();
        String id = result.provider() != null ? result.provider().id() : result.domain();
        return new ClientConfig(id, List.of(result.domain()), name, null,
                best.incoming().stream().map(ClientConfigs::server).toList(),
                best.outgoing().stream().map(ClientConfigs::server).toList(),
                List.of(), List.of(), List.of(), null, null);
    }

    private static ServerConfig server(ServerSettings s) {
        // Only vocabulary a config-v1.1 reader knows; anything else would be ignored with a warning.
        List<String> auth = s.auth().stream().filter(ClientConfigParser.AUTHENTICATION_VALUES::contains).toList();
        return new ServerConfig(s.protocol(), s.host(), s.port(), s.security(), s.username(), auth);
    }
}
