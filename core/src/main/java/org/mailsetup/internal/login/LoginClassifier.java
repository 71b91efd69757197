package org.mailsetup.internal.login;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailsetup.LoginOutcome;
import org.mailsetup.Protocol;
import org.mailsetup.config.ProviderNote;

/**
 * Says what a server's refusal means: first the protocol's own codes (IMAP RFC 5530 response codes, SMTP
 * RFC 3463/4954 enhanced status codes, POP3 RFC 3206 codes), then the known messages of big providers
 * ({@code provider-messages.tsv}), which refine a generic answer, then the kind of refusal.
 */
final class LoginClassifier {

    /** One outcome, with the provider's help page when a known message matched. */
    record Verdict(LoginOutcome outcome, ProviderNote help) {
    }

    /** A known provider message. */
    record Row(String provider, Set<Protocol> protocols, LoginOutcome outcome, Pattern pattern, String example,
               String url) {
    }

    private static final Pattern IMAP_CODE = Pattern.compile("^\\S+ (?:NO|BAD) \\[([A-Z-]+)[^]]*]", Pattern.CASE_INSENSITIVE);
    private static final Pattern POP3_CODE = Pattern.compile("^-ERR \\[([A-Z/-]+)]", Pattern.CASE_INSENSITIVE);
    private static final Pattern SMTP_ENHANCED = Pattern.compile("^(\\d{3})[ -]([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");
    private static final Pattern MENTIONS_TLS = Pattern.compile("\\b(STARTTLS|TLS|SSL|encrypt)", Pattern.CASE_INSENSITIVE);

    static final List<Row> ROWS = load();

    private LoginClassifier() {
    }

    /**
     * @param finalLine      the server's final answer (IMAP tagged line, SMTP reply's first line with code, POP3
     *                       status line)
     * @param text           everything the server said about the failure (alerts, the OAuth error document)
     * @param credentialSent whether the credential had gone out, or the server refused the mechanism first
     */
    static Verdict classify(Protocol protocol, String finalLine, String text, boolean credentialSent) {
        LoginOutcome byCode = switch (protocol) {
            case IMAP -> imap(finalLine);
            case POP3 -> pop3(finalLine);
            case SMTP -> smtp(finalLine, text);
        };
        if (byCode == null || byCode == LoginOutcome.BAD_CREDENTIALS || byCode == LoginOutcome.SERVER_ERROR) {
            for (Row row : ROWS) {
                if (row.protocols().contains(protocol) && row.pattern().matcher(text).find()) {
                    String type = noteTypes(row.outcome()).stream().findFirst().orElse("other");
                    return new Verdict(row.outcome(), new ProviderNote(type, row.url(),
                            row.provider() + ": " + describe(row.outcome())));
                }
            }
        }
        if (byCode != null) {
            return new Verdict(byCode, null);
        }
        return new Verdict(fallback(protocol, finalLine, credentialSent), null);
    }

    private static LoginOutcome imap(String line) {
        Matcher m = IMAP_CODE.matcher(line);
        if (!m.find()) {
            return null;
        }
        return switch (m.group(1).toUpperCase(Locale.ROOT)) {
            case "AUTHENTICATIONFAILED", "AUTHORIZATIONFAILED", "EXPIRED" -> LoginOutcome.BAD_CREDENTIALS;
            case "CONTACTADMIN" -> LoginOutcome.SERVICE_DISABLED;
            case "LIMIT" -> LoginOutcome.ACCOUNT_LOCKED;
            case "PRIVACYREQUIRED" -> LoginOutcome.TLS_FAILURE;
            case "UNAVAILABLE", "SERVERBUG" -> LoginOutcome.SERVER_ERROR;
            default -> null; // ALERT and others: the text says it
        };
    }

    private static LoginOutcome pop3(String line) {
        Matcher m = POP3_CODE.matcher(line);
        if (!m.find()) {
            return null;
        }
        return switch (m.group(1).toUpperCase(Locale.ROOT)) {
            case "AUTH" -> LoginOutcome.BAD_CREDENTIALS;
            case "LOGIN-DELAY" -> LoginOutcome.ACCOUNT_LOCKED;
            case "SYS/TEMP", "SYS/PERM", "IN-USE" -> LoginOutcome.SERVER_ERROR;
            default -> null;
        };
    }

    private static LoginOutcome smtp(String line, String text) {
        if (line.length() < 3 || !Character.isDigit(line.charAt(0))) {
            return null;
        }
        int code = Integer.parseInt(line.substring(0, 3));
        Matcher m = SMTP_ENHANCED.matcher(line);
        String enhanced = m.find() ? m.group(2) + "." + m.group(3) + "." + m.group(4) : "";
        switch (enhanced) {
            case "5.7.8":
                return LoginOutcome.BAD_CREDENTIALS;
            case "5.7.9":
                // RFC 4954 "mechanism too weak"; Google uses it for "application-specific password required".
                return text.toLowerCase(Locale.ROOT).contains("application-specific")
                        ? LoginOutcome.APP_PASSWORD_REQUIRED : LoginOutcome.MECHANISM_UNSUPPORTED;
            case "5.7.11":
                return LoginOutcome.TLS_FAILURE;
            case "5.5.4", "5.7.4":
                return LoginOutcome.MECHANISM_UNSUPPORTED;
            default:
                break;
        }
        return switch (code) {
            case 535 -> LoginOutcome.BAD_CREDENTIALS;
            case 534 -> LoginOutcome.MECHANISM_UNSUPPORTED;
            case 538 -> LoginOutcome.TLS_FAILURE;
            case 504 -> LoginOutcome.MECHANISM_UNSUPPORTED;
            // 530 5.7.0: "authentication required", or "must issue STARTTLS first".
            case 530 -> MENTIONS_TLS.matcher(text).find() ? LoginOutcome.TLS_FAILURE : LoginOutcome.SERVER_ERROR;
            // 454 4.7.0 temporary authentication failure; 421 service not available; other 4xx alike.
            default -> code / 100 == 4 ? LoginOutcome.SERVER_ERROR : null;
        };
    }

    /** No code: a refusal after the credential is taken as wrong credentials, before it as a refused mechanism. */
    private static LoginOutcome fallback(Protocol protocol, String line, boolean credentialSent) {
        String upper = line.toUpperCase(Locale.ROOT);
        boolean refusal = switch (protocol) {
            case IMAP -> upper.matches("^\\S+ NO\\b.*");
            case POP3 -> upper.startsWith("-ERR");
            case SMTP -> upper.startsWith("5");
        };
        if (!refusal) {
            return LoginOutcome.SERVER_ERROR;
        }
        return credentialSent ? LoginOutcome.BAD_CREDENTIALS : LoginOutcome.MECHANISM_UNSUPPORTED;
    }

    /**
     * The provider-note types ({@link ProviderNote#TYPES}) that may explain an outcome: a refused password at a
     * provider that wants app passwords, or whose mail-app access is off until enabled, looks like a wrong one.
     */
    static List<String> noteTypes(LoginOutcome outcome) {
        return switch (outcome) {
            case BAD_CREDENTIALS -> List.of("app-password", "enable-imap", "oauth-only");
            case APP_PASSWORD_REQUIRED -> List.of("app-password");
            case SERVICE_DISABLED -> List.of("enable-imap");
            case OAUTH_REQUIRED -> List.of("oauth-only");
            default -> List.of();
        };
    }

    private static String describe(LoginOutcome outcome) {
        return switch (outcome) {
            case APP_PASSWORD_REQUIRED -> "an app password is required for mail apps";
            case SERVICE_DISABLED -> "access for mail apps is switched off for this account";
            case OAUTH_REQUIRED -> "password sign-in is switched off; mail apps must use OAuth2";
            case ACCOUNT_LOCKED -> "sign-in is blocked for now; signing in on the web first may lift it";
            case BAD_CREDENTIALS -> "the username or password was not accepted";
            default -> outcome.jsonName();
        };
    }

    private static List<Row> load() {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = LoginClassifier.class.getResourceAsStream("provider-messages.tsv")) {
            if (in == null) {
                throw new IllegalStateException("provider-messages.tsv is missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 6 || !f[5].startsWith("https://")) {
                    throw new IllegalStateException("provider-messages.tsv line " + n + ": expected 6 tab-separated "
                            + "fields ending in an https URL");
                }
                Set<Protocol> protocols = EnumSet.noneOf(Protocol.class);
                Arrays.stream(f[1].split(",")).map(p -> Protocol.valueOf(p.strip().toUpperCase(Locale.ROOT)))
                        .forEach(protocols::add);
                rows.add(new Row(f[0], protocols, outcome(f[2], n),
                        Pattern.compile(f[3], Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), f[4], f[5]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(rows);
    }

    private static LoginOutcome outcome(String jsonName, int line) {
        for (LoginOutcome o : LoginOutcome.values()) {
            if (o.jsonName().equals(jsonName)) {
                return o;
            }
        }
        throw new IllegalStateException("provider-messages.tsv line " + line + ": unknown outcome " + jsonName);
    }
}
