package org.mailsetup.service.http;

import java.util.concurrent.CompletableFuture;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;

/** What the HTTP server asks of discovery. Implementations must never fail the future for bad input. */
public interface Lookups extends AutoCloseable {

    /**
     * Looks up settings; identical concurrent lookups share one discovery and results are cached.
     *
     * @param verify false to skip probing (answers faster, marked unverified)
     */
    CompletableFuture<DiscoveryResult> lookup(EmailAddress email, boolean verify);

    /** False when the operator switched probing off ({@code --no-verify}): then no lookup verifies. */
    boolean verifies();

    @Override
    void close();
}
