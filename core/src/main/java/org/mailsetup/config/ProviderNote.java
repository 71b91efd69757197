package org.mailsetup.config;

/**
 * Something a user must know or do before the settings work, such as "app password required", or
 * that the settings could not be checked against a current source ({@code unverified}).
 *
 * @param type one of {@link #TYPES}
 * @param url  an https page that explains it, or null
 */
public record ProviderNote(String type, String url, String text) {
    public static final java.util.Set<String> TYPES =
            java.util.Set.of("app-password", "enable-imap", "oauth-only", "bridge", "paid-plan", "unverified", "other");
}
