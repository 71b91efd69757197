package org.mailsetup.internal.net;

import java.io.IOException;

/** A connection the network policy refused, because the address is not public and not allowed. */
public final class BlockedAddressException extends IOException {
    public BlockedAddressException(String message) {
        super(message);
    }
}
