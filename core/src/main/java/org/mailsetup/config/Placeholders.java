package org.mailsetup.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailsetup.EmailAddress;

/** The config-v1.1 placeholders {@code %EMAILADDRESS%}, {@code %EMAILLOCALPART%} and {@code %EMAILDOMAIN%}. */
public final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("%([A-Za-z]*)%?");

    private Placeholders() {
    }

    /** Replaces every placeholder with its value for this address. */
    public static String expand(String template, EmailAddress email) {
        return template
                .replace("%EMAILADDRESS%", email.address())
                .replace("%EMAILLOCALPART%", email.localPart())
                .replace("%EMAILDOMAIN%", email.domain());
    }

    /**
     * Null when every {@code %} in the template starts a known, closed placeholder; otherwise what is
     * wrong (e.g. {@code %EMAILADDRESS} without its closing {@code %}).
     */
    public static String problem(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            String token = m.group();
            switch (token) {
                case "%EMAILADDRESS%", "%EMAILLOCALPART%", "%EMAILDOMAIN%" -> { }
                default -> {
                    return token.endsWith("%") && token.length() > 1
                            ? "unknown placeholder " + token
                            : "placeholder '" + token + "' is not closed with '%'";
                }
            }
        }
        return null;
    }
}
