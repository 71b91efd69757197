package org.mailsetup.config;

/** A help page for the provider's settings. */
public record Documentation(String url, String description) {
}
