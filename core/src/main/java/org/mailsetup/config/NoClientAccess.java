package org.mailsetup.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.mailsetup.Protocol;
import org.mailsetup.Security;

/**
 * A provider that gives mail apps no IMAP, POP3 or SMTP of its own (mailsetup's {@code ms:noClientAccess}):
 * why, the provider's page that explains it, and, where a program on the user's computer bridges to it
 * (Proton Mail Bridge), that program's local endpoints. They are shown to the user as they are, never
 * probed and never offered as settings.
 *
 * @param reason what the provider offers instead, one sentence
 * @param url    the provider's https page about it
 * @param bridge a local bridge program's endpoints (loopback), or empty
 */
public record NoClientAccess(String reason, String url, List<Bridge> bridge) {

    public NoClientAccess {
        bridge = bridge == null ? List.of() : List.copyOf(bridge);
    }

    /** One endpoint of a local bridge program, as its documentation gives it. */
    @JsonPropertyOrder({"protocol", "host", "port", "security"})
    public record Bridge(Protocol protocol, String host, int port, Security security) {
    }
}
