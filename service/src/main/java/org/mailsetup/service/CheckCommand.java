package org.mailsetup.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.mailsetup.Credentials;
import org.mailsetup.Endpoint;
import org.mailsetup.LoginCheck;
import org.mailsetup.LoginOptions;
import org.mailsetup.LoginOutcome;
import org.mailsetup.LoginReport;
import org.mailsetup.MailSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mailsetup check EMAIL}: a lookup, then a sign-in on the best verified incoming and outgoing server, to
 * see whether the password (or OAuth2 token) works, and why not. The secret is read without echo from the
 * terminal, or from standard input; never from the command line, where other users and the shell history see it.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Find the settings for an address, then sign in to its best verified incoming and outgoing "
                + "server to see whether the password (or OAuth2 token) works, and why not.",
                "The password is asked for without echo, or read from standard input (--password-stdin); a password "
                        + "on the command line is refused. With --endpoint, only that server is checked."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every server checked signed in",
                "1:the lookup failed, or found no verified server for a direction",
                "2:invalid command line",
                "3:the DNS resolver could not answer (dns-failure): try again later",
                "4:the credentials were refused (bad-credentials, app-password-required, oauth-required)",
                "5:the sign-in failed otherwise (service-disabled, account-locked, mechanism-unsupported, tls-failure, "
                        + "network-failure, timeout, server-error)"})
public final class CheckCommand implements Callable<Integer> {

    /** The longest secret read from standard input; OAuth2 access tokens run to a few kilobytes. */
    static final int MAX_SECRET = 16 * 1024;

    @Spec
    CommandSpec spec;

    @Mixin
    DiscoveryOptions options;

    @Option(names = "--json", description = "Print the lookup result with a \"login\" object per direction.")
    boolean json;

    @Option(names = "--username", paramLabel = "NAME",
            description = "Sign in as NAME instead of the username the lookup found.")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Option(names = "--oauth2-token-stdin", description = "Read an OAuth2 access token from the first line of "
            + "standard input and sign in with OAUTHBEARER or XOAUTH2.")
    boolean tokenStdin;

    @Option(names = "--endpoint", paramLabel = "URL", description = "Check only this server, e.g. "
            + "imap://imap.example.org:993/tls (protocol imap, pop3 or smtp; security tls, starttls or plain).")
    String endpoint;

    @Option(names = "--allow-plaintext", description = "With --endpoint: allow signing in without TLS "
            + "(the password crosses the network readable by anyone on the path).")
    boolean allowPlaintext;

    @Option(names = "--login-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Time for the sign-ins after the lookup (default ${DEFAULT-VALUE}).")
    String loginTimeout;

    // Never documented, only refused: a secret on the command line shows in ps, /proc and the shell history.
    @Option(names = {"--password", "-p", "--oauth2-token", "--token"}, hidden = true, arity = "0..1")
    String secretArgument;

    @Parameters(paramLabel = "EMAIL", arity = "0..1",
            description = "The address to look up and sign in for (its username, unless --username).")
    String email;

    @Override
    public Integer call() throws IOException {
        if (secretArgument != null) {
            throw new ParameterException(spec.commandLine(), "a password or token on the command line is refused: "
                    + "other users and the shell history can read it; answer the prompt or use --password-stdin");
        }
        if (passwordStdin && tokenStdin) {
            throw new ParameterException(spec.commandLine(), "--password-stdin and --oauth2-token-stdin exclude each other");
        }
        if (email == null && (endpoint == null || username == null)) {
            throw new ParameterException(spec.commandLine(), "give the EMAIL address (or --endpoint with --username)");
        }
        if (options.noVerify) {
            throw new ParameterException(spec.commandLine(), "--no-verify does not go with check: the password goes "
                    + "only to a server verified over TLS");
        }
        if (allowPlaintext && endpoint == null) {
            throw new ParameterException(spec.commandLine(), "--allow-plaintext needs --endpoint: a lookup checks "
                    + "only servers it verified over TLS");
        }
        Endpoint target = parseEndpoint();
        LoginOptions login = new LoginOptions(DiscoveryOptions.parseDuration(loginTimeout), allowPlaintext);
        PrintWriter out = spec.commandLine().getOut();
        try (MailSetup mailSetup = options.toBuilder().build()) {
            Credentials credentials = readCredentials();
            if (target != null) {
                LoginReport r = mailSetup.checkLoginBlocking(target, credentials, login);
                print(out, null, target.protocol().isIncoming() ? r : null, target.protocol().isIncoming() ? null : r);
                return exitStatus(r);
            }
            LoginCheck c = mailSetup.lookupAndCheck(email, credentials, login).join();
            print(out, c, c.incoming(), c.outgoing());
            if (!c.lookup().isSuccess()) {
                return LookupCommand.exitStatus(c.lookup());
            }
            if (c.incoming() == null || c.outgoing() == null) {
                int worst = Math.max(exitStatus(c.incoming()), exitStatus(c.outgoing()));
                return Math.max(worst, 1);
            }
            return Math.max(exitStatus(c.incoming()), exitStatus(c.outgoing()));
        }
    }

    private Endpoint parseEndpoint() {
        if (endpoint == null) {
            return null;
        }
        try {
            return Endpoint.parse(endpoint);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--endpoint: " + e.getMessage());
        }
    }

    /** 0 signed in, 4 credentials refused, 5 any other failure; 0 for a direction not checked. */
    static int exitStatus(LoginReport r) {
        if (r == null || r.ok()) {
            return 0;
        }
        return switch (r.outcome()) {
            case BAD_CREDENTIALS, APP_PASSWORD_REQUIRED, OAUTH_REQUIRED -> 4;
            default -> 5;
        };
    }

    private Credentials readCredentials() {
        try {
            return promptOrRead();
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read the secret: " + e.getMessage());
        }
    }

    private Credentials promptOrRead() throws IOException {
        // Without --username: the endpoint's user is the address; a lookup takes the username its answer names
        // (and tries the other form once).
        String user = username != null ? username : endpoint != null ? email : null;
        if (tokenStdin) {
            return Credentials.oauth2(user, firstLine(System.in));
        }
        if (passwordStdin) {
            return Credentials.password(user, firstLine(System.in));
        }
        Console console = System.console();
        if (console == null) {
            throw new ParameterException(spec.commandLine(), "no terminal to ask for the password on: use "
                    + "--password-stdin (or --oauth2-token-stdin)");
        }
        char[] password = console.readPassword("Password for %s: ", user != null ? user : email);
        if (password == null || password.length == 0) {
            throw new ParameterException(spec.commandLine(), "no password given");
        }
        return Credentials.password(user, password);
    }

    /** The first line of the stream as characters, never as a String; every buffer used is zeroed. */
    static char[] firstLine(InputStream in) throws IOException {
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
        char[] buf = new char[256];
        int n = 0;
        int c;
        while ((c = r.read()) >= 0 && c != '\n') {
            if (n == buf.length) {
                if (buf.length >= MAX_SECRET) {
                    Arrays.fill(buf, '\0');
                    throw new IOException("the first line of standard input is longer than " + MAX_SECRET + " characters");
                }
                char[] bigger = Arrays.copyOf(buf, buf.length * 2);
                Arrays.fill(buf, '\0');
                buf = bigger;
            }
            buf[n++] = (char) c;
        }
        if (n > 0 && buf[n - 1] == '\r') {
            n--;
        }
        char[] secret = Arrays.copyOf(buf, n);
        Arrays.fill(buf, '\0');
        if (secret.length == 0) {
            throw new IOException("standard input holds no password or token (an empty first line)");
        }
        return secret;
    }

    private void print(PrintWriter out, LoginCheck c, LoginReport incoming, LoginReport outgoing) throws IOException {
        if (json) {
            ObjectNode root = c == null ? ContractJson.mapper().createObjectNode()
                    : ContractJson.mapper().valueToTree(c.lookup());
            ObjectNode login = root.putObject("login");
            if (c != null || incoming != null) {
                login.set("incoming", ContractJson.mapper().valueToTree(incoming));
            }
            if (c != null || outgoing != null) {
                login.set("outgoing", ContractJson.mapper().valueToTree(outgoing));
            }
            out.println(ContractJson.mapper().writeValueAsString(root));
        } else {
            if (c != null) {
                out.print(ResultTable.render(c.lookup()));
                out.println();
            }
            out.print(signIn(c != null, incoming, outgoing));
        }
        out.flush();
    }

    /** The sign-in section of the table: one line a direction, then what the server said and where to read more. */
    static String signIn(boolean bothDirections, LoginReport incoming, LoginReport outgoing) {
        StringBuilder b = new StringBuilder("Sign-in\n");
        line(b, "incoming", incoming, bothDirections);
        line(b, "outgoing", outgoing, bothDirections);
        return b.toString();
    }

    private static void line(StringBuilder b, String direction, LoginReport r, boolean expected) {
        if (r == null) {
            if (expected) {
                b.append("  ").append(direction).append("  not checked: no verified server\n");
            }
            return;
        }
        Endpoint e = r.endpoint();
        b.append("  ").append(direction).append("  ").append(e.protocol().name()).append(' ').append(e.host())
                .append(':').append(e.port()).append(' ').append(e.security().jsonName()).append("  ")
                .append(r.outcome().jsonName());
        if (r.mechanism() != null) {
            b.append("  (").append(r.mechanism()).append(" as ").append(r.username()).append(", ").append(r.elapsedMs())
                    .append(" ms)");
        }
        b.append('\n');
        if (r.outcome() != LoginOutcome.OK && r.response() != null) {
            b.append("      server: ").append(r.response()).append('\n');
        }
        if (r.detail() != null) {
            b.append("      ").append(r.detail()).append('\n');
        }
        if (r.help() != null) {
            b.append("      help: ").append(r.help().text()).append(r.help().url() == null ? "" : " (" + r.help().url() + ")")
                    .append('\n');
        }
        r.warnings().forEach(w -> b.append("      warning: ").append(w).append('\n'));
    }
}
