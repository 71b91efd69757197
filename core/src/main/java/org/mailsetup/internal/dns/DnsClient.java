package org.mailsetup.internal.dns;

import java.net.InetAddress;
import org.mailsetup.internal.Deadline;

/**
 * The DNS door. Names are absolute (no search domains, no /etc/hosts) because they come from user
 * input. Answers are returned as found; the network policy is applied by whoever connects.
 */
public interface DnsClient {

    DnsAnswer<MxRecord> mx(String domain, Deadline deadline) throws DnsException;

    DnsAnswer<SrvRecord> srv(String name, Deadline deadline) throws DnsException;

    /** TXT records, each one's strings joined without separator. */
    DnsAnswer<String> txt(String name, Deadline deadline) throws DnsException;

    /** A and AAAA records (CNAMEs followed), IPv6 first only if the resolver returned it first. */
    DnsAnswer<InetAddress> addresses(String host, Deadline deadline) throws DnsException;
}
