package org.mailsetup.service.http;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;
import org.mailsetup.MailSetup;
import org.mailsetup.SharedCache;

/**
 * Discovery for the server: one {@link MailSetup} that probes and, for {@code verify=false}, one that
 * does not. Each caches and shares in-flight lookups on its own.
 */
public final class MailSetupLookups implements Lookups {

    private final MailSetup verifying;
    private final MailSetup quick;

    private MailSetupLookups(MailSetup verifying, MailSetup quick) {
        this.verifying = verifying;
        this.quick = quick;
    }

    /**
     * Builds both instances from one builder.
     *
     * @param verify false when the operator switched probing off: then every lookup skips it
     */
    public static MailSetupLookups build(MailSetup.Builder builder, boolean verify) {
        return build(builder, verify, null);
    }

    /**
     * As {@link #build(MailSetup.Builder, boolean)}, each instance with a second cache level shared with
     * other replicas: {@code shared} gives the one for verified results ({@code true}) and for unverified
     * ones; null for none.
     */
    public static MailSetupLookups build(MailSetup.Builder builder, boolean verify,
                                         Function<Boolean, SharedCache> shared) {
        MailSetup quick = builder.verify(false).sharedCache(shared == null ? null : shared.apply(false)).build();
        MailSetup verifying = verify
                ? builder.verify(true).sharedCache(shared == null ? null : shared.apply(true)).build() : quick;
        return new MailSetupLookups(verifying, quick);
    }

    @Override
    public CompletableFuture<DiscoveryResult> lookup(EmailAddress email, boolean verify) {
        return (verify ? verifying : quick).lookup(email.address());
    }

    @Override
    public boolean verifies() {
        return verifying != quick;
    }

    @Override
    public void close() {
        verifying.close();
        if (quick != verifying) {
            quick.close();
        }
    }
}
