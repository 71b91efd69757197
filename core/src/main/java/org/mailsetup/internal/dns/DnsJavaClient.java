package org.mailsetup.internal.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.mailsetup.internal.Deadline;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@link DnsClient} over dnsjava, talking to one configured recursive resolver (or the system's).
 * Queries ask for the AD bit (RFC 6840 section 5.7) so a validating resolver can tell us an answer is
 * DNSSEC-authenticated; names are always absolute, so search domains and /etc/hosts play no part.
 */
public final class DnsJavaClient implements DnsClient {

    /** No single query waits longer than this, whatever the lookup's deadline. */
    static final Duration MAX_QUERY_TIME = Duration.ofSeconds(5);

    private final Resolver resolver;
    private final Duration queryTime;

    private DnsJavaClient(Resolver resolver, Duration queryTime) {
        this.resolver = resolver;
        this.queryTime = queryTime;
    }

    /** Uses the resolver at this address (UDP, falling back to TCP when truncated). */
    public static DnsJavaClient using(InetSocketAddress server) {
        return using(server, MAX_QUERY_TIME);
    }

    /** Uses the resolver at this address, giving up on a query it has not answered within queryTime. */
    public static DnsJavaClient using(InetSocketAddress server, Duration queryTime) {
        SimpleResolver r = new SimpleResolver(server);
        r.setTimeout(queryTime);
        return new DnsJavaClient(r, queryTime);
    }

    /** Uses the resolvers the operating system is configured with. */
    public static DnsJavaClient system() {
        List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress s : servers) {
            SimpleResolver r = new SimpleResolver(s);
            r.setTimeout(MAX_QUERY_TIME);
            resolvers.add(r);
        }
        ExtendedResolver r = new ExtendedResolver(resolvers);
        r.setTimeout(MAX_QUERY_TIME);
        r.setRetries(1);
        return new DnsJavaClient(r, MAX_QUERY_TIME);
    }

    @Override
    public DnsAnswer<MxRecord> mx(String domain, Deadline deadline) throws DnsException {
        return query(domain, Type.MX, deadline, r -> {
            MXRecord mx = (MXRecord) r;
            return new MxRecord(mx.getPriority(), host(mx.getTarget()));
        });
    }

    @Override
    public DnsAnswer<SrvRecord> srv(String name, Deadline deadline) throws DnsException {
        return query(name, Type.SRV, deadline, r -> {
            org.xbill.DNS.SRVRecord srv = (org.xbill.DNS.SRVRecord) r;
            return new SrvRecord(srv.getPriority(), srv.getWeight(), srv.getPort(), host(srv.getTarget()));
        });
    }

    @Override
    public DnsAnswer<String> txt(String name, Deadline deadline) throws DnsException {
        // The raw bytes: getStrings() would escape quotes, backslashes and non-ASCII as \ddd.
        return query(name, Type.TXT, deadline, r -> {
            StringBuilder joined = new StringBuilder();
            for (byte[] part : ((TXTRecord) r).getStringsAsByteArrays()) {
                joined.append(new String(part, StandardCharsets.UTF_8));
            }
            return joined.toString();
        });
    }

    @Override
    public DnsAnswer<InetAddress> addresses(String host, Deadline deadline) throws DnsException {
        CompletableFuture<Message> a = send(host, Type.A);
        CompletableFuture<Message> aaaa = send(host, Type.AAAA);
        DnsAnswer<InetAddress> v4;
        try {
            v4 = toAnswer(host, Type.A, await(host, Type.A, a, deadline), r -> ((ARecord) r).getAddress());
        } catch (DnsException e) {
            aaaa.cancel(true);
            throw e;
        }
        DnsAnswer<InetAddress> v6;
        try {
            v6 = toAnswer(host, Type.AAAA, await(host, Type.AAAA, aaaa, deadline), r -> ((AAAARecord) r).getAddress());
        } catch (DnsException e) {
            // Broken AAAA handling is common; IPv4 answers are enough to connect.
            if (!v4.isEmpty()) {
                return v4;
            }
            throw e;
        }
        if (v4.status() == DnsAnswer.Status.NXDOMAIN && v6.status() == DnsAnswer.Status.NXDOMAIN) {
            return v4;
        }
        List<InetAddress> all = new ArrayList<>(v4.records());
        all.addAll(v6.records());
        long ttl = v4.ttlSeconds() < 0 ? v6.ttlSeconds()
                : v6.ttlSeconds() < 0 ? v4.ttlSeconds() : Math.min(v4.ttlSeconds(), v6.ttlSeconds());
        return new DnsAnswer<>(DnsAnswer.Status.OK, all, v4.authenticated() && v6.authenticated(), ttl);
    }

    private <T> DnsAnswer<T> query(String name, int type, Deadline deadline, Function<Record, T> map)
            throws DnsException {
        return toAnswer(name, type, await(name, type, send(name, type), deadline), map);
    }

    private CompletableFuture<Message> send(String name, int type) {
        if (name == null || name.isBlank() || name.equals(".")) {
            // Without this, "" would become "." and query the root zone.
            return CompletableFuture.failedFuture(new DnsException("empty DNS name"));
        }
        Name n;
        try {
            n = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            return CompletableFuture.failedFuture(new DnsException("'" + name + "' is not a valid DNS name", e));
        }
        Message query = Message.newQuery(Record.newRecord(n, type, DClass.IN));
        query.getHeader().setFlag(Flags.AD);
        query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        return resolver.sendAsync(query).toCompletableFuture();
    }

    private Message await(String name, int type, CompletableFuture<Message> future, Deadline deadline)
            throws DnsException {
        try {
            return future.get(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw DnsException.deadlinePassed("DNS query for " + name + " timed out");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw DnsException.deadlinePassed("DNS query for " + name + " was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DnsException d) {
                throw d;
            }
            if (cause instanceof java.net.SocketTimeoutException || cause instanceof TimeoutException) {
                throw new DnsException("no answer from the DNS resolver within " + seconds(queryTime) + " for "
                        + name + " " + Type.string(type), cause);
            }
            String why = cause instanceof java.net.PortUnreachableException
                    ? "the DNS server is not reachable (port unreachable)"
                    : cause instanceof IOException && cause.getMessage() != null ? cause.getMessage()
                    : String.valueOf(cause);
            throw new DnsException("DNS query for " + name + " failed: " + why, cause);
        }
    }

    private static <T> DnsAnswer<T> toAnswer(String name, int type, Message response, Function<Record, T> map)
            throws DnsException {
        int rcode = response.getRcode();
        boolean ad = response.getHeader().getFlag(Flags.AD);
        if (rcode == Rcode.NXDOMAIN) {
            return new DnsAnswer<>(DnsAnswer.Status.NXDOMAIN, List.of(), ad, negativeTtl(response));
        }
        if (rcode != Rcode.NOERROR) {
            throw new DnsException("DNS server answered " + Rcode.string(rcode) + " for " + name + " "
                    + Type.string(type));
        }
        List<T> records = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == type) {
                records.add(map.apply(r));
                ttl = Math.min(ttl, r.getTTL());
            }
        }
        return new DnsAnswer<>(DnsAnswer.Status.OK, records, ad,
                records.isEmpty() ? negativeTtl(response) : ttl);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    private static long negativeTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Math.min(soa.getTTL(), soa.getMinimum());
            }
        }
        return -1;
    }

    private static String host(Name name) {
        String s = name.toString(true).toLowerCase(java.util.Locale.ROOT);
        return s.equals(".") ? "" : s;
    }
}
