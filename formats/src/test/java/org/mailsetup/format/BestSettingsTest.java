package org.mailsetup.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailsetup.format.Results.failed;
import static org.mailsetup.format.Results.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.ProbeReport.FailureKind;
import org.mailsetup.Protocol;
import org.mailsetup.ProviderInfo;
import org.mailsetup.Security;
import org.mailsetup.ServerSettings;
import org.mailsetup.SourceName;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.OAuth2Config;

/** The five rules of README's "Client formats", on hand-made results, and what the writers make of them. */
class BestSettingsTest {

    private static final ServerSettings LOOPBACK = failed(Protocol.SMTP, "127.0.0.1", 465, FailureKind.REFUSED,
            "127.0.0.1 resolves to [127.0.0.1], which is not a public address; refused by the network policy");
    private static final ServerSettings SELF_SIGNED = failed(Protocol.SMTP, "smtp.example.org", 465,
            FailureKind.CONCLUSIVE, "certificate not trusted (PKIX path): self-signed certificate");
    private static final ServerSettings FIREWALLED = failed(Protocol.SMTP, "smtp2.example.org", 465,
            FailureKind.INCONCLUSIVE, "connect timeout after 3000 ms (192.0.2.7:465)");
    private static final ServerSettings VERIFIED_IMAP =
            server(Protocol.IMAP, "imap.example.org", 993, Security.TLS, "u", true, true);

    private static DiscoveryResult result(List<ServerSettings> in, List<ServerSettings> out) {
        return Results.result("u@example.org", "example.org", in, out);
    }

    @Test
    void prefersVerifiedAndNeverPlain() {
        ServerSettings plainVerified = server(Protocol.IMAP, "a.example.org", 143, Security.PLAIN, "u", true, true);
        ServerSettings trusted = server(Protocol.IMAP, "b.example.org", 993, Security.TLS, "u", true, false);
        ServerSettings verified = server(Protocol.POP3, "c.example.org", 995, Security.TLS, "u", false, true);
        BestSettings best = BestSettings.of(result(List.of(plainVerified, trusted, verified), List.of()));

        assertThat(best.incoming()).containsExactly(verified);
        assertThat(best.best(Protocol.IMAP)).isEmpty();
        assertThat(best.best(Protocol.POP3)).contains(verified);
    }

    @Test
    void fallsBackToTrustedWhenNothingWasVerified() {
        ServerSettings guess = server(Protocol.SMTP, "g.example.org", 465, Security.TLS, "u", false, false);
        ServerSettings trusted = server(Protocol.SMTP, "t.example.org", 587, Security.STARTTLS, "u", true, false);
        BestSettings best = BestSettings.of(result(List.of(), List.of(guess, trusted)));

        assertThat(best.outgoing()).containsExactly(trusted);
        assertThat(best.isEmpty()).isFalse();
    }

    @Test
    void untrustedUnverifiedGuessesGiveNothing() {
        ServerSettings guess = server(Protocol.IMAP, "g.example.org", 993, Security.TLS, "u", false, false);
        BestSettings best = BestSettings.of(result(List.of(guess), List.of()));

        assertThat(best.isEmpty()).isTrue();
    }

    // --- rule 1: refused and conclusively failed servers never; inconclusive ones only without a verified one

    @Test
    void refusedAndConclusivelyFailedServersAreNeverServedEvenWhenTrusted() {
        BestSettings best = BestSettings.of(result(List.of(VERIFIED_IMAP), List.of(LOOPBACK, SELF_SIGNED)));

        assertThat(best.outgoing()).isEmpty();
        assertThat(best.excluded()).extracting(BestSettings.Excluded::server).containsExactly(LOOPBACK, SELF_SIGNED);
        assertThat(best.excluded().get(0).reason()).startsWith("refused by the network policy");
        assertThat(best.excluded().get(1).reason()).contains("self-signed");
    }

    @Test
    void anInconclusiveTrustedServerIsServedOnlyWhenNothingOfItsDirectionWasVerified() {
        ServerSettings verifiedSmtp = server(Protocol.SMTP, "smtp3.example.org", 465, Security.TLS, "u", true, true);

        BestSettings alone = BestSettings.of(result(List.of(VERIFIED_IMAP), List.of(FIREWALLED, LOOPBACK)));
        BestSettings beside = BestSettings.of(result(List.of(VERIFIED_IMAP), List.of(verifiedSmtp, FIREWALLED)));

        assertThat(alone.outgoing()).containsExactly(FIREWALLED);
        assertThat(beside.outgoing()).containsExactly(verifiedSmtp);
        assertThat(beside.excluded()).singleElement().satisfies(e ->
                assertThat(e.reason()).contains("inconclusive").contains("another server was verified"));
    }

    // --- rule 2: no one-sided documents

    @Test
    void aOneSidedResultSaysWhichDirectionIsMissingAndWhy() {
        BestSettings best = BestSettings.of(result(List.of(VERIFIED_IMAP), List.of(LOOPBACK, SELF_SIGNED)));

        assertThat(best.isComplete()).isFalse();
        assertThat(best.missing()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("no outgoing (SMTP) server a client may use: smtp 127.0.0.1:465 (tls): refused by the "
                        + "network policy")
                .contains("smtp smtp.example.org:465 (tls): failed verification (certificate not trusted")
                .doesNotContain("incoming"));
        assertThat(BestSettings.of(result(List.of(VERIFIED_IMAP), List.of())).missing())
                .contains("no outgoing (SMTP) server was found");
        assertThat(Mobileconfig.canDescribe(best)).isFalse();
        assertThatThrownBy(() -> Autodiscover.settingsResponse(best)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- rule 3: always an authentication

    @Test
    void everyServedServerHasAnAuthenticationClientsKnow() {
        ServerSettings unprobed = server(Protocol.SMTP, "smtp.example.org", 465, Security.TLS, "u", true, false);
        ServerSettings oauth = server(Protocol.IMAP, "imap.example.org", 993, Security.TLS, "u", true, false,
                "OAuth2", "password-cleartext", "XOAUTH-SOMETHING");
        ProviderInfo withOAuth = new ProviderInfo("ex", "Ex", List.of(),
                new OAuth2Config("login.example.org", List.of("mail"), "https://login.example.org/a", "https://login.example.org/t"));

        ClientConfig known = config(Results.result("u@example.org", "example.org", withOAuth, List.of(oauth),
                List.of(unprobed)));
        ClientConfig unknown = config(result(List.of(oauth), List.of(unprobed)));

        assertThat(known.incoming().get(0).authentication()).containsExactly("OAuth2", "password-cleartext");
        assertThat(known.outgoing().get(0).authentication()).containsExactly("password-cleartext");
        assertThat(known.oauth2().issuer()).isEqualTo("login.example.org");
        // Without the provider's OAuth2 details a client cannot get a token.
        assertThat(unknown.incoming().get(0).authentication()).containsExactly("password-cleartext");
    }

    // --- rule 4: the source's placeholders

    @Test
    void usernamesAreServedAsTheSourceWroteThem() {
        ServerSettings local = new ServerSettings(Protocol.IMAP, "imap.example.org", 993, Security.TLS, "u",
                "%EMAILLOCALPART%", List.of(), true, true, List.of(SourceName.AUTOCONFIG), Results.ok());
        ServerSettings literal = server(Protocol.SMTP, "smtp.example.org", 465, Security.TLS, "shared@example.org",
                true, true);

        ClientConfig c = config(result(List.of(local), List.of(literal)));

        assertThat(c.incoming().get(0).username()).isEqualTo("%EMAILLOCALPART%");
        assertThat(c.outgoing().get(0).username()).isEqualTo("shared@example.org");
    }

    // --- rule 5: stable documents

    @Test
    void trustedAlternativesOnAVerifiedHostAreServedWhetherOrNotTheyWereProbed() {
        ServerSettings tls = server(Protocol.SMTP, "smtp.example.org", 465, Security.TLS, "u", true, true);
        ServerSettings submission = server(Protocol.SMTP, "smtp.example.org", 587, Security.STARTTLS, "u", true, false);
        ServerSettings submissionVerified = server(Protocol.SMTP, "smtp.example.org", 587, Security.STARTTLS, "u",
                true, true);
        ServerSettings otherHost = server(Protocol.SMTP, "relay.example.org", 465, Security.TLS, "u", true, false);
        ServerSettings guessOnSameHost = server(Protocol.SMTP, "smtp.example.org", 2525, Security.TLS, "u", false, false);

        BestSettings early = BestSettings.of(result(List.of(VERIFIED_IMAP), List.of(tls, submission, otherHost,
                guessOnSameHost)));
        BestSettings complete = BestSettings.of(result(List.of(VERIFIED_IMAP), List.of(tls, submissionVerified,
                otherHost, guessOnSameHost)));

        assertThat(early.outgoing()).extracting(ServerSettings::port).containsExactly(465, 587);
        assertThat(ClientConfigWriter.write(config(early))).isEqualTo(ClientConfigWriter.write(config(complete)));
    }

    // --- what Thunderbird makes of the documents

    @Test
    void everyCompleteDocumentIsOneThunderbirdAccepts() {
        ServerSettings unprobed = server(Protocol.SMTP, "smtp.example.org", 587, Security.STARTTLS, "u", true, false);
        byte[] xml = ClientConfigWriter.write(config(result(List.of(VERIFIED_IMAP), List.of(unprobed))));

        assertThat(ThunderbirdRules.problems(xml)).isEmpty();
    }

    @Test
    void theThunderbirdRulesRejectWhatThunderbirdRejects() {
        String oneSided = """
                <clientConfig version="1.1"><emailProvider id="x"><domain>example.org</domain>
                <incomingServer type="imap"><hostname>imap.example.org</hostname><port>993</port>
                <socketType>SSL</socketType><authentication>password-cleartext</authentication></incomingServer>
                <outgoingServer type="smtp"><hostname>smtp.example.org</hostname><port>465</port>
                <socketType>SSL</socketType></outgoingServer></emailProvider></clientConfig>""";

        assertThat(ThunderbirdRules.problems(oneSided.getBytes(StandardCharsets.UTF_8))).containsExactly(
                "<outgoingServer type=\"smtp\"> smtp.example.org:465: no authentication it supports (the server is skipped)",
                "no outgoing server Thunderbird can use: it rejects the whole document");
        assertThat(ThunderbirdRules.problems("<config/>".getBytes(StandardCharsets.UTF_8))).isNotEmpty();
    }

    private static ClientConfig config(DiscoveryResult r) {
        return config(r, BestSettings.of(r));
    }

    private static ClientConfig config(DiscoveryResult r, BestSettings best) {
        return roundTrip(ClientConfigs.fromResult(r, best));
    }

    private static ClientConfig config(BestSettings best) {
        return ClientConfigs.fromResult(result(best.incoming(), best.outgoing()), best);
    }

    // What a reader sees: the document written and parsed back.
    private static ClientConfig roundTrip(ClientConfig c) {
        try {
            return ClientConfigParser.parse(ClientConfigWriter.write(c)).config();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
