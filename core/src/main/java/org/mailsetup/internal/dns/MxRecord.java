package org.mailsetup.internal.dns;

/** An MX record; {@code host} is lower case without the trailing dot, and "" for a null MX (RFC 7505). */
public record MxRecord(int preference, String host) {
    public boolean isNullMx() {
        return host.isEmpty();
    }
}
