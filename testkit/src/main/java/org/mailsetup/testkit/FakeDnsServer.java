package org.mailsetup.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An in-process DNS responder on 127.0.0.1 (UDP and TCP, same ephemeral port) that answers like a
 * recursive resolver serving only the data a test gave it.
 *
 * <ul>
 *   <li>A name with no records (and no records below it) answers NXDOMAIN; a name that has records of
 *       other types, or records only below it, answers NOERROR with no records (NODATA). Negative
 *       answers carry an SOA in the authority section: of the closest {@link #zone(String)}, or of the
 *       last two labels of the name when no zone was declared.</li>
 *   <li>CNAMEs are followed within the data (up to 8 hops); the answer holds the chain and the target's
 *       records, and the rcode is the last name's.</li>
 *   <li>The AD bit is set only for {@link #authenticated(String)} names (every name of a CNAME chain)
 *       and, as a real resolver does, only when the query asked for it with AD or DO (RFC 6840 5.7).</li>
 *   <li>UDP answers that exceed the client's payload size (512 without EDNS) are truncated with TC.</li>
 * </ul>
 *
 * <p>Every method is thread-safe; data may be changed while the server runs. Host names in records
 * are taken as absolute names with or without the trailing dot; addresses must be literals.
 */
public final class FakeDnsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FakeDnsServer.class);
    private static final int MAX_CNAME_HOPS = 8;

    private final Object lock = new Object();
    // All of the following are guarded by lock.
    private final Map<Name, List<Record>> records = new HashMap<>();
    private final Set<Name> zones = new HashSet<>();
    private final Set<Name> nxdomain = new HashSet<>();
    private final Set<Name> authenticated = new HashSet<>();
    private final Set<Name> timeouts = new HashSet<>();
    private final Map<Name, Integer> failures = new HashMap<>();
    private final Set<Name> truncated = new HashSet<>();
    private final Map<Name, Duration> delays = new HashMap<>();
    private final Map<Name, Alternating> alternating = new HashMap<>();
    private long ttl = 300;

    private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> tcpQueries = new ConcurrentHashMap<>();

    private volatile DatagramSocket udp;
    private volatile ServerSocket tcp;
    private volatile ExecutorService workers;
    private volatile ScheduledExecutorService timer;
    private volatile boolean closed;

    public FakeDnsServer() {
    }

    // ---------------------------------------------------------------- lifecycle

    /** Binds UDP and TCP on the same ephemeral port of 127.0.0.1 and starts answering. */
    public FakeDnsServer start() throws IOException {
        if (udp != null) {
            throw new IllegalStateException("already started");
        }
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        IOException last = null;
        // The UDP port the kernel picks may be taken for TCP (or the reverse); retry a few times.
        for (int attempt = 0; attempt < 20 && udp == null; attempt++) {
            ServerSocket ss = new ServerSocket();
            try {
                ss.setReuseAddress(true);
                ss.bind(new InetSocketAddress(loopback, 0), 50);
                DatagramSocket ds = new DatagramSocket(new InetSocketAddress(loopback, ss.getLocalPort()));
                tcp = ss;
                udp = ds;
            } catch (IOException e) {
                last = e;
                ss.close();
            }
        }
        if (udp == null) {
            throw new IOException("could not bind UDP and TCP on one loopback port", last);
        }
        workers = Executors.newVirtualThreadPerTaskExecutor();
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("fake-dns-delay").unstarted(r));
        Thread.ofPlatform().daemon().name("fake-dns-udp-" + port()).start(this::udpLoop);
        Thread.ofPlatform().daemon().name("fake-dns-tcp-" + port()).start(this::tcpLoop);
        log.debug("fake DNS server listening on 127.0.0.1:{}", port());
        return this;
    }

    public int port() {
        requireStarted();
        return udp.getLocalPort();
    }

    /** Where clients send queries (UDP and TCP). */
    public InetSocketAddress address() {
        requireStarted();
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    @Override
    public void close() {
        closed = true;
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            try {
                tcp.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void requireStarted() {
        if (udp == null) {
            throw new IllegalStateException("not started");
        }
    }

    // ---------------------------------------------------------------- data

    /** TTL for records added from now on, and for the SOA of negative answers. */
    public FakeDnsServer ttl(long seconds) {
        if (seconds < 0 || seconds > 0x7FFFFFFFL) {
            throw new IllegalArgumentException("TTL out of range: " + seconds);
        }
        synchronized (lock) {
            ttl = seconds;
        }
        return this;
    }

    /** Declares a zone apex: negative answers for names inside it carry this zone's SOA. */
    public FakeDnsServer zone(String apex) {
        Name n = name(apex);
        synchronized (lock) {
            zones.add(n);
        }
        return this;
    }

    public FakeDnsServer a(String name, String ipv4) {
        Name n = name(name);
        InetAddress ip = literal(ipv4, Address.IPv4);
        return add(n, ttl -> new ARecord(n, DClass.IN, ttl, ip));
    }

    public FakeDnsServer aaaa(String name, String ipv6) {
        Name n = name(name);
        InetAddress ip = literal(ipv6, Address.IPv6);
        return add(n, ttl -> new AAAARecord(n, DClass.IN, ttl, ip));
    }

    /**
     * Answers the name's A queries with one address at a time, the next one on every query, round and round
     * (a round-robin or rebinding name; give it TTL 0 with {@link #ttl(long)} first).
     */
    public FakeDnsServer alternateA(String name, String... ipv4) {
        Name n = name(name);
        List<InetAddress> ips = java.util.Arrays.stream(ipv4).map(ip -> literal(ip, Address.IPv4)).toList();
        synchronized (lock) {
            removeLocked(n, Type.A);
            add(n, ttl -> new ARecord(n, DClass.IN, ttl, ips.getFirst()));
            alternating.put(n, new Alternating(ips, ttl));
        }
        return this;
    }

    private static final class Alternating {
        final List<InetAddress> addresses;
        final long ttl;
        int next;

        Alternating(List<InetAddress> addresses, long ttl) {
            this.addresses = addresses;
            this.ttl = ttl;
        }

        Record answer(Name n) {
            return new ARecord(n, DClass.IN, ttl, addresses.get(next++ % addresses.size()));
        }
    }

    /** Replaces every A record of the name with this one (e.g. to simulate DNS rebinding). */
    public FakeDnsServer replaceA(String name, String ipv4) {
        Name n = name(name);
        InetAddress ip = literal(ipv4, Address.IPv4);
        synchronized (lock) {
            removeLocked(n, Type.A);
            add(n, ttl -> new ARecord(n, DClass.IN, ttl, ip));
        }
        return this;
    }

    public FakeDnsServer mx(String domain, int preference, String host) {
        Name n = name(domain);
        Name target = name(host);
        return add(n, ttl -> new MXRecord(n, DClass.IN, ttl, preference, target));
    }

    /** A null MX (RFC 7505): preference 0, exchange ".". */
    public FakeDnsServer nullMx(String domain) {
        return mx(domain, 0, ".");
    }

    /** An SRV record; target "." means the service is not offered (RFC 2782). */
    public FakeDnsServer srv(String name, int priority, int weight, int port, String target) {
        Name n = name(name);
        Name t = name(target);
        return add(n, ttl -> new SRVRecord(n, DClass.IN, ttl, priority, weight, port, t));
    }

    /** One TXT record made of these character-strings (UTF-8, taken verbatim: no escapes). */
    public FakeDnsServer txt(String name, String... strings) {
        Name n = name(name);
        ByteArrayOutputStream rdata = new ByteArrayOutputStream();
        for (String s : strings) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > 255) {
                throw new IllegalArgumentException("a TXT character-string holds at most 255 bytes");
            }
            rdata.write(b.length);
            rdata.writeBytes(b);
        }
        byte[] data = rdata.toByteArray();
        return add(n, ttl -> Record.newRecord(n, Type.TXT, DClass.IN, ttl, data));
    }

    public FakeDnsServer cname(String name, String target) {
        Name n = name(name);
        Name t = name(target);
        return add(n, ttl -> new CNAMERecord(n, DClass.IN, ttl, t));
    }

    /** Removes every record of this type at this name (type as in "A", "MX", "SRV"). */
    public FakeDnsServer remove(String name, String type) {
        Name n = name(name);
        int t = type(type);
        synchronized (lock) {
            removeLocked(n, t);
        }
        return this;
    }

    /** Answers NXDOMAIN for this name, whatever records it has. */
    public FakeDnsServer nxdomain(String name) {
        return flag(nxdomain, name);
    }

    /** Sets the AD bit on answers for this name (when the query asks for it). */
    public FakeDnsServer authenticated(String name) {
        return flag(authenticated, name);
    }

    /** Never answers queries for this name: they are counted and dropped. */
    public FakeDnsServer timeout(String name) {
        return flag(timeouts, name);
    }

    /** Answers SERVFAIL for this name. */
    public FakeDnsServer servfail(String name) {
        return fail(name, Rcode.SERVFAIL);
    }

    /** Answers REFUSED for this name. */
    public FakeDnsServer refused(String name) {
        return fail(name, Rcode.REFUSED);
    }

    private FakeDnsServer fail(String name, int rcode) {
        Name n = name(name);
        synchronized (lock) {
            failures.put(n, rcode);
        }
        return this;
    }

    /** Answers queries for this name only after this delay (other names are not held up; counted on arrival). */
    public FakeDnsServer delay(String name, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay");
        }
        Name n = name(name);
        synchronized (lock) {
            delays.put(n, delay);
        }
        return this;
    }

    /** Answers over UDP with TC set and no records, so the client retries over TCP and gets it all. */
    public FakeDnsServer truncate(String name) {
        return flag(truncated, name);
    }

    /** Queries received for this name and type ("A", "MX", ...), over UDP and TCP together. */
    public int queryCount(String name, String type) {
        AtomicInteger c = queries.get(key(name(name), type(type)));
        return c == null ? 0 : c.get();
    }

    /** Queries received over TCP for this name and type. */
    public int tcpQueryCount(String name, String type) {
        AtomicInteger c = tcpQueries.get(key(name(name), type(type)));
        return c == null ? 0 : c.get();
    }

    private interface RecordFactory {
        Record make(long ttl);
    }

    private FakeDnsServer add(Name n, RecordFactory factory) {
        synchronized (lock) {
            records.computeIfAbsent(n, k -> new ArrayList<>()).add(factory.make(ttl));
        }
        return this;
    }

    private void removeLocked(Name n, int type) {
        List<Record> list = records.get(n);
        if (list != null) {
            list.removeIf(r -> r.getType() == type);
            if (list.isEmpty()) {
                records.remove(n);
            }
        }
    }

    private FakeDnsServer flag(Set<Name> set, String name) {
        Name n = name(name);
        synchronized (lock) {
            set.add(n);
        }
        return this;
    }

    private static Name name(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("empty DNS name");
        }
        try {
            return Name.fromString(s, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: '" + s + "'", e);
        }
    }

    private static InetAddress literal(String ip, int family) {
        try {
            return Address.getByAddress(ip, family);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv" + (family == Address.IPv4 ? 4 : 6)
                    + " literal: '" + ip + "'", e);
        }
    }

    private static int type(String type) {
        int t = Type.value(type);
        if (t < 0) {
            throw new IllegalArgumentException("unknown record type '" + type + "'");
        }
        return t;
    }

    private static String key(Name name, int type) {
        return name.toString().toLowerCase(java.util.Locale.ROOT) + "/" + type;
    }

    // ---------------------------------------------------------------- answering

    /** A parsed query, already counted, and how long to hold its answer. */
    private record Received(Message query, long delayMillis) {
    }

    /** Parses and counts a query on arrival; null when it is malformed (it gets no answer). */
    private Received receive(byte[] wire, boolean overTcp) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            log.debug("ignoring malformed query: {}", e.toString());
            return null;
        }
        Record q = query.getQuestion();
        if (q == null) {
            return new Received(query, 0);
        }
        String key = key(q.getName(), q.getType());
        queries.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (overTcp) {
            tcpQueries.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
        log.debug("query {} {} over {}", q.getName(), Type.string(q.getType()), overTcp ? "TCP" : "UDP");
        synchronized (lock) {
            Duration d = delays.get(q.getName());
            return new Received(query, d == null ? 0 : d.toMillis());
        }
    }

    /** What to do with one query: drop it (null) or send these bytes. */
    private byte[] handle(Message query, boolean overTcp) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        OPTRecord queryOpt = query.getOPT();
        if (queryOpt != null) {
            response.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        }
        if (question == null || query.getHeader().getOpcode() != Opcode.QUERY
                || query.getHeader().getFlag(Flags.QR)) {
            response.getHeader().setRcode(question == null ? Rcode.FORMERR : Rcode.NOTIMP);
            return response.toWire(overTcp ? 65535 : 512);
        }
        response.addRecord(question, Section.QUESTION);
        Name qname = question.getName();
        int qtype = question.getType();

        boolean wantsAd = query.getHeader().getFlag(Flags.AD)
                || (queryOpt != null && (queryOpt.getFlags() & 0x8000) != 0);
        synchronized (lock) {
            if (!overTcp && truncated.contains(qname)) {
                response.getHeader().setFlag(Flags.TC);
                return response.toWire(512);
            }
            boolean ad = true;
            Name current = qname;
            int rcode = Rcode.NOERROR;
            for (int hop = 0; ; hop++) {
                if (timeouts.contains(current)) {
                    return null;
                }
                if (failures.containsKey(current) || hop > MAX_CNAME_HOPS) {
                    Message fail = new Message(query.getHeader().getID());
                    fail.getHeader().setFlag(Flags.QR);
                    fail.getHeader().setFlag(Flags.RA);
                    fail.getHeader().setRcode(failures.getOrDefault(current, Rcode.SERVFAIL));
                    fail.addRecord(question, Section.QUESTION);
                    return fail.toWire(512);
                }
                ad &= authenticated.contains(current);
                List<Record> here = records.getOrDefault(current, List.of());
                if (nxdomain.contains(current) || (here.isEmpty() && !hasDescendants(current))) {
                    rcode = Rcode.NXDOMAIN;
                    response.addRecord(soa(current), Section.AUTHORITY);
                    break;
                }
                Record alias = qtype == Type.CNAME ? null
                        : here.stream().filter(r -> r.getType() == Type.CNAME).findFirst().orElse(null);
                if (alias != null) {
                    response.addRecord(alias, Section.ANSWER);
                    current = ((CNAMERecord) alias).getTarget();
                    continue;
                }
                List<Record> matching = here.stream().filter(r -> r.getType() == qtype).toList();
                if (qtype == Type.A && alternating.containsKey(current)) {
                    matching = List.of(alternating.get(current).answer(current));
                }
                if (matching.isEmpty()) {
                    response.addRecord(soa(current), Section.AUTHORITY);
                }
                for (Record r : matching) {
                    response.addRecord(r, Section.ANSWER);
                }
                break;
            }
            response.getHeader().setRcode(rcode);
            if (ad && wantsAd) {
                response.getHeader().setFlag(Flags.AD);
            }
        }
        int limit = overTcp ? 65535 : (queryOpt == null ? 512 : Math.max(512, queryOpt.getPayloadSize()));
        return response.toWire(limit);
    }

    private boolean hasDescendants(Name n) {
        for (Name existing : records.keySet()) {
            if (!existing.equals(n) && existing.subdomain(n)) {
                return true;
            }
        }
        return false;
    }

    private Record soa(Name n) {
        Name apex = null;
        for (Name z : zones) {
            if (n.subdomain(z) && (apex == null || z.labels() > apex.labels())) {
                apex = z;
            }
        }
        if (apex == null) {
            // "a.b.example.org." has 5 labels counting the root; keep "example.org."
            apex = n.labels() <= 3 ? n : new Name(n, n.labels() - 3);
        }
        try {
            return new SOARecord(apex, DClass.IN, ttl, Name.concatenate(Name.fromConstantString("ns"), apex),
                    Name.concatenate(Name.fromConstantString("hostmaster"), apex), 1, 3600, 600, 86400, ttl);
        } catch (org.xbill.DNS.NameTooLongException e) {
            return new SOARecord(apex, DClass.IN, ttl, apex, apex, 1, 3600, 600, 86400, ttl);
        }
    }

    // ---------------------------------------------------------------- transports

    private void udpLoop() {
        DatagramSocket socket = udp;
        byte[] buf = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    log.warn("fake DNS UDP receive failed", e);
                }
                return;
            }
            byte[] wire = java.util.Arrays.copyOfRange(buf, packet.getOffset(), packet.getOffset() + packet.getLength());
            java.net.SocketAddress client = packet.getSocketAddress();
            Received received = receive(wire, false);
            if (received == null) {
                continue;
            }
            Runnable reply = () -> {
                try {
                    byte[] answer = handle(received.query(), false);
                    if (answer != null) {
                        socket.send(new DatagramPacket(answer, answer.length, client));
                    }
                } catch (IOException | RuntimeException e) {
                    if (!closed) {
                        log.warn("fake DNS could not answer over UDP", e);
                    }
                }
            };
            long delay = received.delayMillis();
            if (delay == 0) {
                reply.run();
            } else {
                try {
                    timer.schedule(reply, delay, TimeUnit.MILLISECONDS);
                } catch (RuntimeException e) {
                    return; // shut down
                }
            }
        }
    }

    private void tcpLoop() {
        ServerSocket server = tcp;
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("fake DNS TCP accept failed", e);
                }
                return;
            }
            try {
                workers.execute(() -> serveTcp(s));
            } catch (RuntimeException e) {
                closeQuietly(s);
            }
        }
    }

    private void serveTcp(Socket s) {
        try (s) {
            s.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (!closed) {
                int len;
                try {
                    len = in.readUnsignedShort();
                } catch (EOFException e) {
                    return;
                }
                byte[] wire = in.readNBytes(len);
                if (wire.length < len) {
                    return;
                }
                Received received = receive(wire, true);
                if (received == null) {
                    return;
                }
                if (received.delayMillis() > 0) {
                    Thread.sleep(received.delayMillis());
                }
                byte[] answer = handle(received.query(), true);
                if (answer != null) {
                    out.writeShort(answer.length);
                    out.write(answer);
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            // the server is closing
        } catch (SocketException e) {
            // client went away or the server closed
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                log.debug("fake DNS TCP connection ended: {}", e.toString());
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
