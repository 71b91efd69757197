package org.mailsetup.internal.dns;

import java.io.IOException;

/** A DNS query that got no usable answer: time-out, SERVFAIL, REFUSED, a malformed reply. */
public final class DnsException extends IOException {
    public DnsException(String message) {
        super(message);
    }

    public DnsException(String message, Throwable cause) {
        super(message, cause);
    }
}
