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
    void failedProbesCountByKindAndAVerifiedHostKeepsItsTrustedSiblings() {
        ServerSettings verified = setting("a.example.org", Security.TLS, true, true);
        ServerSettings sibling = setting("a.example.org", Security.STARTTLS, true, false);
        ServerSettings refused = probed("b.example.org", ProbeReport.FailureKind.REFUSED);
        ServerSettings timedOut = probed("c.example.org", ProbeReport.FailureKind.INCONCLUSIVE);

        ClientChoice choice = ClientChoice.of(List.of(verified, refused, timedOut, sibling));

        assertThat(choice.chosen()).containsExactly(verified, sibling);
        assertThat(choice.leftOut()).extracting(LeftOut::setting).containsExactly(refused, timedOut);
        assertThat(choice.leftOut().get(0).reason()).startsWith("refused by the network policy");
        assertThat(choice.leftOut().get(1).reason()).startsWith("verification was inconclusive");
        assertThat(ClientChoice.of(List.of(timedOut)).chosen()).containsExactly(timedOut);
        assertThat(ClientChoice.of(List.of(probed("d.example.org", ProbeReport.FailureKind.CONCLUSIVE))).leftOut())
                .singleElement().satisfies(l -> assertThat(l.reason()).startsWith("failed verification"));
    }

    private static ServerSettings probed(String host, ProbeReport.FailureKind kind) {
        return new ServerSettings(Protocol.IMAP, host, 993, Security.TLS, "u", List.of(), true, false,
                List.of(SourceName.AUTOCONFIG), new ProbeReport(false, -1, null, null, null, null, null, null, false,
                null, List.of(), List.of(), List.of(), "it failed", kind));
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
