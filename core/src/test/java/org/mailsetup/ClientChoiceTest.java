package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailsetup.ClientChoice.LeftOut;

/** The ranking's rule for what a client format may hand over. */
class ClientChoiceTest {

    private static ServerSettings setting(String host, Security security, boolean trusted, boolean verified) {
        return new ServerSettings(Protocol.IMAP, host, security == Security.TLS ? 993 : 143, security, "u",
                List.of(), trusted, verified, List.of(SourceName.SRV), null);
    }

    @Test
    void verifiedSettingsWinAndPlainTextNeverCounts() {
        ServerSettings plainVerified = setting("a.example.org", Security.PLAIN, true, true);
        ServerSettings trusted = setting("b.example.org", Security.TLS, true, false);
        ServerSettings verified = setting("c.example.org", Security.STARTTLS, false, true);

        ClientChoice choice = ClientChoice.of(List.of(plainVerified, trusted, verified));

        assertThat(choice.chosen()).containsExactly(verified);
        assertThat(choice.leftOut()).containsExactly(new LeftOut(plainVerified, "plain text"),
                new LeftOut(trusted, "not verified, and another server was"));
    }

    @Test
    void withoutVerificationTheTrustedOnesKeepTheirOrder() {
        ServerSettings first = setting("a.example.org", Security.TLS, true, false);
        ServerSettings guess = setting("b.example.org", Security.TLS, false, false);
        ServerSettings second = setting("c.example.org", Security.STARTTLS, true, false);

        ClientChoice choice = ClientChoice.of(List.of(first, guess, second));

        assertThat(choice.chosen()).containsExactly(first, second);
        assertThat(choice.leftOut()).containsExactly(new LeftOut(guess, "neither verified nor from a trusted source"));
        assertThat(ClientChoice.of(List.of(setting("p.example.org", Security.PLAIN, true, true))).chosen()).isEmpty();
    }
}
