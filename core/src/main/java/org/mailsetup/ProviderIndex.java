package org.mailsetup;

import java.util.Optional;
import org.mailsetup.config.ClientConfig;

/**
 * A curated set of provider entries, looked up offline. The {@code provider-db} module supplies the
 * bundled one; operators can supply their own.
 */
public interface ProviderIndex {

    /** The entry that lists this email domain (lower-case A-label), if any. */
    Optional<ClientConfig> byDomain(String domain);

    /** The entry whose reviewed MX patterns match this MX host name (lower case, no trailing dot), if any. */
    Optional<ClientConfig> byMxHost(String mxHost);

    /** An index with no entries. */
    static ProviderIndex empty() {
        return new ProviderIndex() {
            @Override
            public Optional<ClientConfig> byDomain(String domain) {
                return Optional.empty();
            }

            @Override
            public Optional<ClientConfig> byMxHost(String mxHost) {
                return Optional.empty();
            }
        };
    }
}
