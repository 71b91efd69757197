package org.mailsetup.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsetup.format.Results.server;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.ServerSettings;

class BestSettingsTest {

    @Test
    void prefersVerifiedAndNeverPlain() {
        ServerSettings plainVerified = server(Protocol.IMAP, "a.example.org", 143, Security.PLAIN, "u", true, true);
        ServerSettings trusted = server(Protocol.IMAP, "b.example.org", 993, Security.TLS, "u", true, false);
        ServerSettings verified = server(Protocol.POP3, "c.example.org", 995, Security.TLS, "u", false, true);
        BestSettings best = BestSettings.of(Results.result("u@example.org", "example.org",
                List.of(plainVerified, trusted, verified), List.of()));

        assertThat(best.incoming()).containsExactly(verified);
        assertThat(best.best(Protocol.IMAP)).isEmpty();
        assertThat(best.best(Protocol.POP3)).contains(verified);
    }

    @Test
    void fallsBackToTrustedWhenNothingWasVerified() {
        ServerSettings guess = server(Protocol.SMTP, "g.example.org", 465, Security.TLS, "u", false, false);
        ServerSettings trusted = server(Protocol.SMTP, "t.example.org", 587, Security.STARTTLS, "u", true, false);
        BestSettings best = BestSettings.of(Results.result("u@example.org", "example.org",
                List.of(), List.of(guess, trusted)));

        assertThat(best.outgoing()).containsExactly(trusted);
        assertThat(best.isEmpty()).isFalse();
    }

    @Test
    void untrustedUnverifiedGuessesGiveNothing() {
        ServerSettings guess = server(Protocol.IMAP, "g.example.org", 993, Security.TLS, "u", false, false);
        BestSettings best = BestSettings.of(Results.result("u@example.org", "example.org", List.of(guess), List.of()));

        assertThat(best.isEmpty()).isTrue();
    }
}
