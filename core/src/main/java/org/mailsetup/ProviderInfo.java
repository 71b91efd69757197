package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.mailsetup.config.OAuth2Config;
import org.mailsetup.config.ProviderNote;

/**
 * The mail provider a lookup identified.
 *
 * @param id     its provider-database id (usually its main domain)
 * @param name   its display name
 * @param notes  what a user must know or do first, such as "an app password is required" or "enable IMAP
 *               in the web settings"
 * @param oauth2 how a mail client gets OAuth2 tokens for it, or null when unknown
 */
@JsonPropertyOrder({"id", "name", "notes", "oauth2"})
public record ProviderInfo(String id, String name, List<ProviderNote> notes, OAuth2Config oauth2) {

    public ProviderInfo {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A provider known only by id and name. */
    public ProviderInfo(String id, String name) {
        this(id, name, List.of(), null);
    }
}
