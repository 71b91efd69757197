package org.mailsetup;

/**
 * What one source did during a lookup.
 *
 * @param detail why it failed, was skipped or timed out, or what it found; may be null
 */
public record SourceReport(SourceName name, SourceStatus status, long elapsedMs, String detail) {
}
