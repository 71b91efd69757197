package org.mailsetup.internal.dns;

import org.mailsetup.internal.Deadline;

/**
 * A resolver that changes how host addresses are answered (a cache, a lookup's pinned view) and passes
 * every other question on as it is.
 */
public abstract class AddressDecorator implements DnsClient {

    protected final DnsClient delegate;

    protected AddressDecorator(DnsClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public final DnsAnswer<MxRecord> mx(String domain, Deadline deadline) throws DnsException {
        return delegate.mx(domain, deadline);
    }

    @Override
    public final DnsAnswer<SrvRecord> srv(String name, Deadline deadline) throws DnsException {
        return delegate.srv(name, deadline);
    }

    @Override
    public final DnsAnswer<String> txt(String name, Deadline deadline) throws DnsException {
        return delegate.txt(name, deadline);
    }
}
