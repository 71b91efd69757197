package org.mailsetup.config;

import java.util.regex.Pattern;

/** Host name syntax (RFC 1123 letters, digits and hyphens; A-labels for IDN). */
public final class HostNames {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?");

    private HostNames() {
    }

    /** True for a syntactically valid, fully qualified host name in lower case (no trailing dot, not an IP). */
    public static boolean isValid(String host) {
        if (host == null || host.isEmpty() || host.length() > 253) {
            return false;
        }
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }

    /** Lower case, without a trailing dot. */
    public static String normalize(String host) {
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** True when host is domain itself or a name below it. */
    public static boolean isWithin(String host, String domain) {
        return host.equals(domain) || host.endsWith("." + domain);
    }
}
