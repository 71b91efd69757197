package org.mailsetup.internal.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsClient;
import org.mailsetup.internal.dns.DnsException;
import org.mailsetup.internal.dns.MxRecord;
import org.mailsetup.internal.dns.SrvRecord;

/**
 * An in-memory {@link DnsClient} for unit tests: names map to address lists (a queue of answers, so
 * an answer can change between lookups, the last one repeating) and TXT records; anything else is
 * NXDOMAIN.
 */
public final class FakeDnsClient implements DnsClient {

    private final Map<String, Deque<List<InetAddress>>> addresses = new ConcurrentHashMap<>();
    private final Map<String, List<String>> txt = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    /** The name resolves to these addresses (replacing earlier answers). */
    public FakeDnsClient a(String host, String... ips) {
        Deque<List<InetAddress>> q = new ArrayDeque<>();
        q.add(parse(ips));
        addresses.put(host, q);
        return this;
    }

    /** After the answers already given have each been used once, the name resolves to these. */
    public FakeDnsClient then(String host, String... ips) {
        addresses.computeIfAbsent(host, h -> new ArrayDeque<>()).add(parse(ips));
        return this;
    }

    public FakeDnsClient txt(String name, String... records) {
        txt.put(name, List.of(records));
        return this;
    }

    public int lookups(String host) {
        AtomicInteger n = lookups.get(host);
        return n == null ? 0 : n.get();
    }

    @Override
    public DnsAnswer<InetAddress> addresses(String host, Deadline deadline) throws DnsException {
        lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        Deque<List<InetAddress>> q = addresses.get(host);
        if (q == null) {
            return new DnsAnswer<>(DnsAnswer.Status.NXDOMAIN, List.of(), false, 60);
        }
        synchronized (q) {
            List<InetAddress> answer = q.size() > 1 ? q.poll() : q.peek();
            return new DnsAnswer<>(DnsAnswer.Status.OK, answer, false, 300);
        }
    }

    @Override
    public DnsAnswer<String> txt(String name, Deadline deadline) throws DnsException {
        List<String> records = txt.get(name);
        if (records == null) {
            return new DnsAnswer<>(DnsAnswer.Status.NXDOMAIN, List.of(), false, 60);
        }
        return new DnsAnswer<>(DnsAnswer.Status.OK, records, false, 120);
    }

    @Override
    public DnsAnswer<MxRecord> mx(String domain, Deadline deadline) {
        return new DnsAnswer<>(DnsAnswer.Status.NXDOMAIN, List.of(), false, 60);
    }

    @Override
    public DnsAnswer<SrvRecord> srv(String name, Deadline deadline) {
        return new DnsAnswer<>(DnsAnswer.Status.NXDOMAIN, List.of(), false, 60);
    }

    private static List<InetAddress> parse(String... ips) {
        List<InetAddress> out = new ArrayList<>();
        for (String ip : ips) {
            try {
                out.add(InetAddress.getByName(ip));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(ip, e);
            }
        }
        return out;
    }
}
