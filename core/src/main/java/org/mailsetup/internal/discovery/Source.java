package org.mailsetup.internal.discovery;

import org.mailsetup.SourceName;

/**
 * One way of finding settings for an email address. Each source runs on its own virtual thread, may
 * block, and must finish by {@link LookupContext#deadline()}: pass the deadline to every DNS and HTTP
 * call. A thrown exception becomes a "failed" report with its message; an
 * {@link java.io.InterruptedIOException} (a time-out) becomes a "timeout" report.
 */
public interface Source {

    SourceName name();

    SourceResult discover(LookupContext context) throws Exception;
}
