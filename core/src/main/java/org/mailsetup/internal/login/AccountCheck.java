package org.mailsetup.internal.login;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.mailsetup.Credentials;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;
import org.mailsetup.LoginCheck;
import org.mailsetup.LoginOptions;
import org.mailsetup.LoginOutcome;
import org.mailsetup.LoginReport;
import org.mailsetup.ProviderInfo;
import org.mailsetup.ServerSettings;
import org.mailsetup.internal.Deadline;

/**
 * The login part of a lookup-and-check: the best verified incoming and outgoing servers, both at once.
 * Falls back down a direction's ranked list only when the failure was about the server (TLS, network,
 * time-out, no fitting mechanism), never after the credential was refused: a second wrong guess locks
 * accounts at some providers. The one exception is the username: when the answer's form
 * ({@code %EMAILADDRESS%} or {@code %EMAILLOCALPART%}) is refused, the other form is tried once, on the
 * same server, and the report says so.
 */
public final class AccountCheck {

    private final LoginChecker checker;
    private final Executor executor;

    public AccountCheck(LoginChecker checker, Executor executor) {
        this.checker = checker;
        this.executor = executor;
    }

    /** Both directions of a successful lookup (its verified servers); null reports for a direction without any. */
    public LoginCheck run(DiscoveryResult lookup, EmailAddress email, Credentials credentials, LoginOptions options) {
        if (!lookup.isSuccess()) {
            return new LoginCheck(lookup, null, null);
        }
        Deadline deadline = Deadline.after(options.timeout());
        CompletableFuture<LoginReport> in = CompletableFuture.supplyAsync(
                () -> direction(lookup.incoming(), lookup.provider(), email, credentials, options, deadline), executor);
        CompletableFuture<LoginReport> out = CompletableFuture.supplyAsync(
                () -> direction(lookup.outgoing(), lookup.provider(), email, credentials, options, deadline), executor);
        return new LoginCheck(lookup, in.join(), out.join());
    }

    private LoginReport direction(List<ServerSettings> ranked, ProviderInfo provider, EmailAddress email,
                                  Credentials credentials, LoginOptions options, Deadline deadline) {
        List<String> notes = new ArrayList<>();
        LoginReport last = null;
        for (ServerSettings s : ranked) {
            if (!s.verified()) {
                continue;
            }
            if (last != null && deadline.expired()) {
                notes.add("no time left to try " + s.endpoint());
                break;
            }
            String username = credentials.username() != null ? credentials.username() : s.username();
            LoginReport r = checker.check(s.endpoint(), username, credentials, options, address(s), deadline);
            if (r.outcome() == LoginOutcome.BAD_CREDENTIALS && credentials.username() == null) {
                String other = otherForm(s.usernameTemplate(), email);
                if (other != null && !other.equals(username)) {
                    LoginReport second = checker.check(s.endpoint(), other, credentials, options, address(s), deadline);
                    notes.add("the username " + username + " was refused (" + r.outcome().jsonName()
                            + "); tried the other form, " + other + ", once: " + second.outcome().jsonName());
                    r = second;
                }
            }
            last = r.withWarningsFirst(notes);
            if (!r.outcome().aboutTheServer()) {
                return withProviderHelp(last, provider);
            }
            notes.add("fell back from " + s.endpoint() + ": " + r.outcome().jsonName()
                    + (r.detail() == null ? "" : " (" + r.detail() + ")"));
        }
        return last == null ? null : withProviderHelp(last, provider);
    }

    /** The address the lookup's probe verified: the login goes to the very server that was checked. */
    private static InetAddress address(ServerSettings s) {
        String a = s.probe() == null ? null : s.probe().address();
        return a != null && InetAddresses.isInetAddress(a) ? InetAddresses.forString(a) : null;
    }

    /** The other username form when the answer used one of the two standard ones, else null. */
    static String otherForm(String template, EmailAddress email) {
        if (template == null) {
            return null;
        }
        return switch (template) {
            case "%EMAILADDRESS%" -> email.localPart();
            case "%EMAILLOCALPART%" -> email.address();
            default -> null;
        };
    }

    /**
     * A refusal at a provider whose entry has a note that may explain it (app passwords, enabling IMAP) gets the
     * first such note, in the entry's order.
     */
    private static LoginReport withProviderHelp(LoginReport r, ProviderInfo provider) {
        if (provider == null || r.help() != null) {
            return r;
        }
        List<String> wanted = LoginClassifier.noteTypes(r.outcome());
        return provider.notes().stream().filter(n -> wanted.contains(n.type())).findFirst().map(r::withHelp).orElse(r);
    }
}
