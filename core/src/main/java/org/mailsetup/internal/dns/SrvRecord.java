package org.mailsetup.internal.dns;

/** An SRV record; {@code target} is lower case without the trailing dot, and "" for "." (service not offered). */
public record SrvRecord(int priority, int weight, int port, String target) {
}
