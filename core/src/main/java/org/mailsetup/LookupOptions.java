package org.mailsetup;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Options of one lookup; {@link MailSetup#defaults()} gives the builder's.
 *
 * @param timeout  the deadline for the whole lookup, verification included
 * @param verify   whether to probe servers; without it, answers are marked unverified
 * @param services the services to look up; {@link Service#MAIL} is always among them (the other services are
 *                 found in the same documents and DNS answers), so {@code services(CONTACTS)} means mail and
 *                 contacts
 */
public record LookupOptions(Duration timeout, boolean verify, Set<Service> services) {

    public LookupOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        EnumSet<Service> s = EnumSet.of(Service.MAIL);
        s.addAll(Objects.requireNonNull(services, "services"));
        services = Set.copyOf(s);
    }

    /** Options of a mail-only lookup. */
    public LookupOptions(Duration timeout, boolean verify) {
        this(timeout, verify, Set.of(Service.MAIL));
    }

    public LookupOptions withTimeout(Duration timeout) {
        return new LookupOptions(timeout, verify, services);
    }

    public LookupOptions withVerify(boolean verify) {
        return new LookupOptions(timeout, verify, services);
    }

    /** These options covering these services (and mail). */
    public LookupOptions withServices(Collection<Service> services) {
        return new LookupOptions(timeout, verify, Set.copyOf(services));
    }

    /** These options covering these services (and mail). */
    public LookupOptions withServices(Service... services) {
        return withServices(Set.of(services));
    }

    /** Whether the lookup covers this service. */
    public boolean covers(Service service) {
        return services.contains(service);
    }
}
