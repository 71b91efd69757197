package org.mailsetup.internal.login;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.security.sasl.SaslException;
import org.mailsetup.Credentials;
import org.mailsetup.Endpoint;
import org.mailsetup.LoginOptions;
import org.mailsetup.LoginOutcome;
import org.mailsetup.LoginReport;
import org.mailsetup.ProbeReport;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.config.ProviderNote;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.net.Dialer;
import org.mailsetup.internal.probe.AuthMechanisms;
import org.mailsetup.internal.probe.MailConnection;
import org.mailsetup.internal.probe.MailSession;
import org.mailsetup.internal.probe.ProbeFailure;
import org.mailsetup.internal.probe.SocketProber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One login check: the probe's connection (through the dialer, TLS validated exactly as a probe does), then
 * one sign-in with the strongest mechanism the server offers for the credential, the answer classified,
 * then LOGOUT/QUIT. One connection, one attempt: a refused credential is never tried again here. Never
 * throws for anything the server or the network does; every ending is a {@link LoginReport}.
 */
public final class LoginChecker {

    private static final Logger log = LoggerFactory.getLogger(LoginChecker.class);
    /** The mechanisms used here need at most two challenges; a server that keeps asking is cut off. */
    private static final int MAX_CHALLENGES = 4;
    static final int MAX_RESPONSE = 300;

    private final SocketProber prober;
    private final Dialer dialer;

    public LoginChecker(SocketProber prober, Dialer dialer) {
        this.prober = Objects.requireNonNull(prober);
        this.dialer = Objects.requireNonNull(dialer);
    }

    /**
     * @param username    the login name to send
     * @param credentials the secret (not zeroed here: the caller may need it for another direction)
     * @param address     the address to dial (the one the lookup's probe verified), or null to resolve the host
     */
    public LoginReport check(Endpoint target, String username, Credentials credentials, LoginOptions options,
                             InetAddress address, Deadline deadline) {
        Objects.requireNonNull(username, "username");
        Attempt a = new Attempt(target, username);
        if (username.isEmpty() || username.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            // A name from a stranger's autoconfig file must not smuggle commands into the conversation.
            return a.end(LoginOutcome.MECHANISM_UNSUPPORTED, null, "the username is empty or holds control "
                    + "characters; not sent", null);
        }
        if (target.security() == Security.PLAIN) {
            if (!options.allowPlaintext()) {
                return a.end(LoginOutcome.TLS_FAILURE, null, "not signing in without TLS: the credential would "
                        + "cross the network readable by anyone on the path (allowPlaintext is off)", null);
            }
            a.warnings.add("plain text: the credential crossed the network unencrypted (allowPlaintext)");
        }
        try (Secret secret = new Secret(credentials.secret())) {
            a.secret = secret;
            try (MailSession session = prober.using(dialer.forLookup()).open(target, deadline,
                    options.allowPlaintext(), address)) {
                LoginReport r = a.run(session, credentials instanceof Credentials.OAuth2Token);
                log.debug("login check {}: {} in {} ms", target, r.outcome().jsonName(), r.elapsedMs());
                return r;
            }
        }
    }

    /** One check's state. */
    private static final class Attempt {
        final Endpoint target;
        final String username;
        final long startNanos = System.nanoTime();
        final List<String> warnings = new ArrayList<>();
        Secret secret;
        String address;
        String mechanism;

        Attempt(Endpoint target, String username) {
            this.target = target;
            this.username = username;
        }

        LoginReport run(MailSession session, boolean token) {
            ProbeReport seen = session.report();
            address = seen.address();
            if (!session.isOpen()) {
                return end(openingFailure(session), null, seen.failure(), null);
            }
            Protocol protocol = target.protocol();
            String chosen = choose(protocol, seen.capabilities(), seen.authMechanisms(), token);
            if (chosen == null) {
                return noMechanism(protocol, seen, token);
            }
            mechanism = chosen.equals("IMAP-LOGIN") ? "LOGIN" : chosen;
            if (chosen.equals("IMAP-LOGIN") && unquotable(secret.bytes())) {
                return end(LoginOutcome.MECHANISM_UNSUPPORTED, null, "the password holds a line break or NUL, which "
                        + "the IMAP LOGIN command cannot carry, and the server offers no AUTH=PLAIN", null);
            }
            MailConnection c = session.connection();
            SaslMechanism sasl = null;
            try {
                Answer answer;
                switch (chosen) {
                    case "IMAP-LOGIN" -> answer = imapLogin(session, c);
                    case "USER" -> answer = pop3User(c);
                    default -> {
                        sasl = sasl();
                        answer = switch (protocol) {
                            case IMAP -> imapAuthenticate(session, c, sasl, hasCapability(seen, "SASL-IR"));
                            case POP3 -> pop3Auth(c, sasl);
                            case SMTP -> smtpAuth(session, c, sasl);
                        };
                    }
                }
                if (answer.ok()) {
                    return end(LoginOutcome.OK, answer.text(), null, null);
                }
                LoginClassifier.Verdict v = LoginClassifier.classify(protocol, answer.finalLine(), answer.text(),
                        answer.credentialSent());
                return end(v.outcome(), answer.text(), null, v.help());
            } catch (ProbeFailure f) {
                LoginOutcome o = f.timedOut() ? LoginOutcome.TIMEOUT
                        : f.kind() == ProbeReport.FailureKind.INCONCLUSIVE ? LoginOutcome.NETWORK_FAILURE
                        : LoginOutcome.SERVER_ERROR;
                return end(o, null, "during " + mechanism + ": " + f.reason(), null);
            } catch (SaslException e) {
                return end(LoginOutcome.SERVER_ERROR, null, mechanism + ": " + e.getMessage(), null);
            } catch (IOException e) {
                return end(LoginOutcome.NETWORK_FAILURE, null, "during " + mechanism + ": connection failed: "
                        + e.getMessage(), null);
            } finally {
                if (sasl != null) {
                    sasl.dispose();
                }
            }
        }

        private SaslMechanism sasl() throws SaslException {
            return switch (mechanism) {
                case "OAUTHBEARER" -> SaslMechanism.oauthBearer(username, target.host(), target.port(), secret);
                case "XOAUTH2" -> SaslMechanism.xoauth2(username, secret);
                case "CRAM-MD5" -> SaslMechanism.cramMd5(username, secret.chars(), service(), target.host());
                case "PLAIN" -> SaslMechanism.plain(username, secret);
                case "LOGIN" -> SaslMechanism.login(username, secret);
                default -> throw new IllegalStateException("no SASL mechanism " + mechanism);
            };
        }

        private String service() {
            return switch (target.protocol()) {
                case IMAP -> "imap";
                case POP3 -> "pop";
                case SMTP -> "smtp";
            };
        }

        /** Why no mechanism fits: a password at a server that takes only tokens is told so. */
        private LoginReport noMechanism(Protocol protocol, ProbeReport seen, boolean token) {
            List<String> offered = seen.authMechanisms();
            boolean oauthOffered = offered.contains("XOAUTH2") || offered.contains("OAUTHBEARER");
            String listed = offered.isEmpty() ? "none" : String.join(" ", offered);
            if (!token && oauthOffered) {
                return end(LoginOutcome.OAUTH_REQUIRED, null, "the server offers only OAuth2 for sign-in (SASL: "
                        + listed + "); a password cannot be used", null);
            }
            String why = token ? "the server offers no OAuth2 mechanism (SASL: " + listed + ")"
                    : AuthMechanisms.passwordLoginDisabled(protocol, seen.capabilities())
                    ? "the server says LOGINDISABLED and offers no password mechanism (SASL: " + listed + ")"
                    : "the server offers no password mechanism (SASL: " + listed + ")";
            return end(LoginOutcome.MECHANISM_UNSUPPORTED, null, why, null);
        }

        private static LoginOutcome openingFailure(MailSession s) {
            if (s.timedOut()) {
                return LoginOutcome.TIMEOUT;
            }
            return switch (s.failedAt()) {
                case CONNECT -> LoginOutcome.NETWORK_FAILURE;
                case TLS -> LoginOutcome.TLS_FAILURE;
                case CONVERSATION -> s.report().failure().startsWith("server closed the connection")
                        ? LoginOutcome.NETWORK_FAILURE : LoginOutcome.SERVER_ERROR;
            };
        }

        // ------------------------------------------------------------------ IMAP

        private Answer imapAuthenticate(MailSession s, MailConnection c, SaslMechanism sasl, boolean saslIr)
                throws ProbeFailure, IOException {
            String tag = s.nextImapTag();
            byte[] ir = saslIr ? sasl.initialResponse() : null;
            c.writeLine(ir == null ? Secret.ascii(tag + " AUTHENTICATE " + sasl.name)
                    : secret.concat(Secret.ascii(tag + " AUTHENTICATE " + sasl.name + " "), encode(ir)));
            StringBuilder extra = new StringBuilder();
            int challenges = 0;
            while (true) {
                String line = c.readLine("the AUTHENTICATE answer");
                if (line.startsWith("+")) {
                    answerChallenge(c, sasl, line.substring(1), ++challenges, "*");
                } else if (isTagged(line, tag)) {
                    return imapAnswer(line, tag, extra, sasl.credentialSent(), sasl.errorChallenge());
                } else {
                    collectUntagged(line, extra);
                }
            }
        }

        private Answer imapLogin(MailSession s, MailConnection c) throws ProbeFailure, IOException {
            String tag = s.nextImapTag();
            byte[] line = secret.concat(Secret.ascii(tag + " LOGIN "), quoted(Secret.ascii(username)), new byte[] {' '},
                    quoted(secret.bytes()));
            c.writeLine(line);
            StringBuilder extra = new StringBuilder();
            while (true) {
                String answer = c.readLine("the LOGIN answer");
                if (isTagged(answer, tag)) {
                    return imapAnswer(answer, tag, extra, true, null);
                }
                collectUntagged(answer, extra);
            }
        }

        private static Answer imapAnswer(String line, String tag, StringBuilder extra, boolean sent, String error) {
            boolean ok = line.toUpperCase(Locale.ROOT).startsWith(tag.toUpperCase(Locale.ROOT) + " OK");
            String text = line.substring(tag.length()).strip();
            return new Answer(ok, line, join(text, extra, error), sent);
        }

        private static boolean isTagged(String line, String tag) {
            return line.regionMatches(true, 0, tag + " ", 0, tag.length() + 1);
        }

        /** Untagged alerts and refusals that came before the answer say why, too. */
        private static void collectUntagged(String line, StringBuilder extra) {
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("* NO") || upper.startsWith("* BAD") || upper.startsWith("* BYE")
                    || upper.contains("[ALERT]")) {
                extra.append(' ').append(line.substring(2));
            }
        }

        private static boolean unquotable(byte[] raw) {
            for (byte b : raw) {
                if (b == '\r' || b == '\n' || b == 0) {
                    return true;
                }
            }
            return false;
        }

        /** An IMAP quoted string (RFC 9051 section 4.3): backslash and double quote escaped. */
        private byte[] quoted(byte[] raw) {
            int n = 2;
            for (byte b : raw) {
                n += b == '"' || b == '\\' ? 2 : 1;
            }
            byte[] out = secret.keep(new byte[n]);
            int at = 0;
            out[at++] = '"';
            for (byte b : raw) {
                if (b == '"' || b == '\\') {
                    out[at++] = '\\';
                }
                out[at++] = b;
            }
            out[at] = '"';
            return out;
        }

        // ------------------------------------------------------------------ POP3

        private Answer pop3User(MailConnection c) throws ProbeFailure, IOException {
            c.writeLine("USER " + username);
            String first = c.readLine("the USER answer");
            if (!first.startsWith("+OK")) {
                return new Answer(false, first, first, true);
            }
            c.writeLine(secret.concat(Secret.ascii("PASS "), secret.bytes()));
            String answer = c.readLine("the PASS answer");
            return new Answer(answer.startsWith("+OK"), answer, answer, true);
        }

        private Answer pop3Auth(MailConnection c, SaslMechanism sasl) throws ProbeFailure, IOException {
            byte[] ir = sasl.initialResponse();
            c.writeLine(ir == null ? Secret.ascii("AUTH " + sasl.name)
                    : secret.concat(Secret.ascii("AUTH " + sasl.name + " "), encode(ir)));
            int challenges = 0;
            while (true) {
                String line = c.readLine("the AUTH answer");
                if (line.startsWith("+ ") || line.equals("+")) {
                    answerChallenge(c, sasl, line.substring(1), ++challenges, "*");
                } else {
                    return new Answer(line.startsWith("+OK"), line, join(line, new StringBuilder(),
                            sasl.errorChallenge()), sasl.credentialSent());
                }
            }
        }

        // ------------------------------------------------------------------ SMTP

        private Answer smtpAuth(MailSession s, MailConnection c, SaslMechanism sasl) throws ProbeFailure, IOException {
            byte[] ir = sasl.initialResponse();
            // RFC 4954: an empty initial response is sent as "=".
            c.writeLine(ir == null ? Secret.ascii("AUTH " + sasl.name)
                    : secret.concat(Secret.ascii("AUTH " + sasl.name + " "), encode(ir)));
            int challenges = 0;
            while (true) {
                MailSession.SmtpReply r = s.readSmtpReply("the AUTH answer");
                if (r.code() == 334) {
                    answerChallenge(c, sasl, r.text(), ++challenges, "*");
                } else {
                    String line = r.code() + " " + r.lines().get(0);
                    String text = r.code() + " " + r.text();
                    return new Answer(r.code() == 235, line, join(text, new StringBuilder(), sasl.errorChallenge()),
                            sasl.credentialSent());
                }
            }
        }

        // ------------------------------------------------------------------ shared

        /** Decodes a challenge, answers it (or cancels with {@code cancel} once the mechanism is done). */
        private void answerChallenge(MailConnection c, SaslMechanism sasl, String b64, int count, String cancel)
                throws IOException, SaslException {
            byte[] challenge;
            try {
                challenge = Base64.getMimeDecoder().decode(b64.strip());
            } catch (IllegalArgumentException e) {
                challenge = new byte[0];
            }
            byte[] response = count > MAX_CHALLENGES ? null : sasl.respond(challenge);
            // An empty answer to a challenge is an empty line; "=" stands for an empty initial response only.
            c.writeLine(response == null ? Secret.ascii(cancel) : response.length == 0 ? new byte[0]
                    : secret.base64(response));
        }

        /** Base64 of an initial response (remembered for redaction); "=" for an empty one (RFC 4954, RFC 4959). */
        private byte[] encode(byte[] message) {
            return message.length == 0 ? Secret.ascii("=") : secret.base64(message);
        }

        private static String join(String text, StringBuilder extra, String error) {
            String all = text + extra;
            return error == null || error.isBlank() ? all : all + " " + error;
        }

        LoginReport end(LoginOutcome outcome, String response, String detail, ProviderNote help) {
            long ms = (System.nanoTime() - startNanos) / 1_000_000;
            return new LoginReport(target, outcome, mechanism, username, ms, address, sanitize(response),
                    sanitize(detail), help, warnings);
        }

        /** One line, no control characters, no echo of the credential, at most {@value #MAX_RESPONSE} characters. */
        private String sanitize(String text) {
            if (text == null) {
                return null;
            }
            StringBuilder b = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                b.append(Character.isISOControl(ch) ? ' ' : ch);
            }
            String clean = b.toString().replaceAll(" {2,}", " ").strip();
            if (secret != null) {
                clean = secret.redact(clean);
            }
            return clean.length() <= MAX_RESPONSE ? clean : clean.substring(0, MAX_RESPONSE - 1) + "…";
        }

        private static boolean hasCapability(ProbeReport seen, String name) {
            return seen.capabilities().stream().anyMatch(c -> c.equalsIgnoreCase(name));
        }
    }

    /** The server's last word on the sign-in. */
    private record Answer(boolean ok, String finalLine, String text, boolean credentialSent) {
    }

    /**
     * The strongest mechanism the server offers for the credential, or null: for a token OAUTHBEARER, then
     * XOAUTH2; for a password CRAM-MD5 (the password never crosses the wire), then PLAIN, then the protocol's
     * own command (IMAP LOGIN unless LOGINDISABLED, POP3 USER/PASS when USER is listed or CAPA is not
     * answered) or SMTP's LOGIN mechanism. The IMAP command is named {@code IMAP-LOGIN} here.
     */
    static String choose(Protocol protocol, List<String> capabilities, List<String> sasl, boolean token) {
        List<String> order = token ? List.of("OAUTHBEARER", "XOAUTH2") : List.of("CRAM-MD5", "PLAIN");
        for (String m : order) {
            if (sasl.contains(m)) {
                return m;
            }
        }
        if (token) {
            return null;
        }
        return switch (protocol) {
            case IMAP -> AuthMechanisms.passwordLoginDisabled(protocol, capabilities) ? null : "IMAP-LOGIN";
            case POP3 -> capabilities.isEmpty() || capabilities.stream().anyMatch(c -> c.equalsIgnoreCase("USER"))
                    ? "USER" : null;
            case SMTP -> sasl.contains("LOGIN") ? "LOGIN" : null;
        };
    }
}
