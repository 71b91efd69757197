package org.mailsetup;

/** The mail provider a lookup identified, by its provider-database id and display name. */
public record ProviderInfo(String id, String name) {
}
