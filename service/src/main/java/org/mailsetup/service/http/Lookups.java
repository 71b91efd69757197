package org.mailsetup.service.http;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;
import org.mailsetup.ProbeReport;
import org.mailsetup.Service;

/** What the HTTP server asks of discovery. Implementations must never fail the future for bad input. */
public interface Lookups extends AutoCloseable {

    /**
     * Looks up settings; identical concurrent lookups share one discovery and results are cached.
     *
     * @param verify   false to skip probing (answers faster, marked unverified)
     * @param services what to look up besides mail (mail always)
     */
    CompletableFuture<DiscoveryResult> lookup(EmailAddress email, boolean verify, Set<Service> services);

    /** False when the operator switched probing off ({@code --no-verify}): then no lookup verifies. */
    boolean verifies();

    /**
     * Checks a host name against the network policy, as lookups do (blocking; no connection): why no
     * address of it may be dialled, or empty when one may.
     */
    Optional<ProbeReport> checkAddresses(String host);

    @Override
    void close();
}
