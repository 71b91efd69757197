package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonValue;

/** How one discovery source ended for one lookup. */
public enum SourceStatus {
    FOUND, EMPTY, FAILED, TIMEOUT, SKIPPED;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
