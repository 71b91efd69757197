package org.mailsetup.internal.discovery;

import org.mailsetup.SourceName;

/**
 * One way of finding settings for an email address. Each source runs on its own virtual thread, may
 * block, and must finish by {@link LookupContext#deadline()}: pass the deadline to every DNS and HTTP
 * call, and say how it ended with a {@link SourceOutcome}. An exception it throws all the same becomes a
 * "failed" report with its message.
 */
public interface Source {

    SourceName name();

    SourceOutcome discover(LookupContext context) throws Exception;
}
