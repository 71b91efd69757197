package org.mailsetup.config;

import java.util.List;

/** How a mail client obtains OAuth2 tokens for a provider (Thunderbird's {@code <oAuth2>} element). */
public record OAuth2Config(String issuer, List<String> scopes, String authUrl, String tokenUrl) {
    public OAuth2Config {
        scopes = List.copyOf(scopes);
    }
}
