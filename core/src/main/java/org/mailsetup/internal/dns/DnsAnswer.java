package org.mailsetup.internal.dns;

import java.util.List;

/**
 * The records of one DNS answer.
 *
 * @param authenticated the resolver set the AD bit: the answer was validated with DNSSEC
 * @param ttlSeconds    the smallest TTL among the records (or the negative-caching TTL), -1 if unknown
 */
public record DnsAnswer<T>(Status status, List<T> records, boolean authenticated, long ttlSeconds) {

    public enum Status {
        /** NOERROR, with or without records. */
        OK,
        /** The name does not exist. */
        NXDOMAIN
    }

    public DnsAnswer {
        records = List.copyOf(records);
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }
}
