package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;
import org.mailsetup.config.ProviderNote;

/**
 * The result of one login check. Holds no secret: the server's text has any echo of the credential removed.
 *
 * @param endpoint  the server checked
 * @param outcome   how it ended
 * @param mechanism the mechanism used ({@code PLAIN}, {@code LOGIN}, {@code CRAM-MD5}, {@code XOAUTH2},
 *                  {@code OAUTHBEARER}; {@code USER} for POP3 USER/PASS, {@code LOGIN} also for the IMAP
 *                  command), or null when none was tried
 * @param username  the username tried
 * @param elapsedMs milliseconds from the start of the check to the server's answer
 * @param address   the IP address connected to, or null when none was
 * @param response  the server's answer to the login, sanitised (one line, at most 300 characters, no echo of
 *                  the credential), or null when there was none
 * @param detail    what happened, in our words (why a mechanism or TLS failed, what was refused), or null
 * @param help      a provider's page about this outcome (an app-password or enable-IMAP page), or null
 * @param warnings  things to know even when it worked (plain text, a fallback, another username form tried)
 */
@JsonPropertyOrder({"endpoint", "outcome", "mechanism", "username", "elapsedMs", "address", "response", "detail",
        "help", "warnings"})
public record LoginReport(
        Endpoint endpoint,
        LoginOutcome outcome,
        String mechanism,
        String username,
        long elapsedMs,
        String address,
        String response,
        String detail,
        ProviderNote help,
        List<String> warnings) {

    public LoginReport {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(outcome, "outcome");
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public boolean ok() {
        return outcome == LoginOutcome.OK;
    }

    /** This report with a provider's help page (kept when it has one already). */
    public LoginReport withHelp(ProviderNote note) {
        return help != null || note == null ? this
                : new LoginReport(endpoint, outcome, mechanism, username, elapsedMs, address, response, detail, note,
                        warnings);
    }

    /** This report with more warnings, the given ones first. */
    public LoginReport withWarningsFirst(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(more);
        all.addAll(warnings);
        return new LoginReport(endpoint, outcome, mechanism, username, elapsedMs, address, response, detail, help, all);
    }
}
