package org.mailsetup.service.http;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.EmailAddress;
import org.mailsetup.MailSetup;
import org.mailsetup.ProbeReport;
import org.mailsetup.Service;
import org.mailsetup.SharedCache;

/**
 * Discovery for the server: one {@link MailSetup}, asked with per-call options ({@code verify=false} skips
 * probing; {@code services} adds contacts, calendars and JMAP). It caches and shares in-flight lookups.
 */
public final class MailSetupLookups implements Lookups {

    private final MailSetup mailSetup;
    private final boolean verify;

    private MailSetupLookups(MailSetup mailSetup, boolean verify) {
        this.mailSetup = mailSetup;
        this.verify = verify;
    }

    /**
     * @param verify false when the operator switched probing off: then every lookup skips it
     */
    public static MailSetupLookups build(MailSetup.Builder builder, boolean verify) {
        return build(builder, verify, null);
    }

    /**
     * As {@link #build(MailSetup.Builder, boolean)}, with a second cache level shared with other replicas
     * (null for none).
     */
    public static MailSetupLookups build(MailSetup.Builder builder, boolean verify, SharedCache shared) {
        return new MailSetupLookups(builder.verify(verify).sharedCache(shared).build(), verify);
    }

    @Override
    public CompletableFuture<DiscoveryResult> lookup(EmailAddress email, boolean verify, Set<Service> services) {
        return mailSetup.lookup(email, mailSetup.defaults().withVerify(verify && this.verify).withServices(services));
    }

    @Override
    public boolean verifies() {
        return verify;
    }

    @Override
    public Optional<ProbeReport> checkAddresses(String host) {
        return mailSetup.checkAddresses(host);
    }

    @Override
    public void close() {
        mailSetup.close();
    }
}
