package org.mailsetup.internal.net;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.AddressDecorator;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsClient;
import org.mailsetup.internal.dns.DnsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door to the network: it alone resolves names for connecting and alone opens connections, and
 * the {@link NetworkPolicy} is applied here, to the addresses actually dialled. HTTP (through OkHttp's
 * {@code Dns} and {@code SocketFactory}) and the mail probes use it; nothing else opens a socket.
 *
 * <p>A dialer made by {@link #forLookup()} pins the first address answer for each name: every source,
 * HTTP fetch and probe of that lookup sees the same addresses, and the policy judges exactly those, even
 * when the name's TTL is 0 and the next answer would differ. Across lookups the DNS cache honours TTLs.
 *
 * <p>So that a lookup cannot be turned into a scanner, a name yields at most {@value #ADDRESSES_PER_FAMILY}
 * addresses of each family (the first ones, in answer order), for probes and HTTP alike, and a lookup's
 * dialer opens at most {@value #CONNECTIONS_PER_LOOKUP} connections; {@link #limitsReached()} says which
 * limits a lookup met, for its warnings.
 */
public final class Dialer {

    private static final Logger log = LoggerFactory.getLogger(Dialer.class);

    /** Addresses tried per name and family (IPv4, IPv6): enough to get past one dead address, as Happy Eyeballs does. */
    static final int ADDRESSES_PER_FAMILY = 2;
    /**
     * Connections one lookup may open: its probes (at most 24) with a second address each, and its HTTP fetches,
     * with room to spare; a domain whose hosts have hundreds of addresses meets it.
     */
    static final int CONNECTIONS_PER_LOOKUP = 64;

    private final NetworkPolicy policy;
    private final DnsClient dns;
    /** The connections this lookup's dialer may still open, or null when unlimited (not a lookup's dialer). */
    private final AtomicInteger connectionsLeft;
    private final Set<String> limitsReached = ConcurrentHashMap.newKeySet();

    private Dialer(NetworkPolicy policy, DnsClient dns, AtomicInteger connectionsLeft) {
        this.policy = policy;
        this.dns = dns;
        this.connectionsLeft = connectionsLeft;
    }

    /** A dialer that asks the resolver afresh for every name (see {@link #forLookup()} for one lookup). */
    public static Dialer create(NetworkPolicy policy, DnsClient dns) {
        return new Dialer(policy, dns, null);
    }

    /**
     * A dialer for one lookup: same policy and resolver, with the first address answer of each name pinned and
     * at most {@value #CONNECTIONS_PER_LOOKUP} connections.
     */
    public Dialer forLookup() {
        return new Dialer(policy, new PinnedAddresses(dns), new AtomicInteger(CONNECTIONS_PER_LOOKUP));
    }

    /** The scan limits this lookup's dialer met, one sentence each (always empty for a dialer of no lookup). */
    public List<String> limitsReached() {
        return limitsReached.stream().sorted().toList();
    }

    /** The resolver, with this dialer's pinned addresses: what sources use to ask DNS. */
    public DnsClient dns() {
        return dns;
    }

    /**
     * The addresses of a host name (or an IP literal) that the policy allows, in answer order, at most
     * {@value #ADDRESSES_PER_FAMILY} of each family.
     *
     * @throws UnknownHostException   the name does not exist or has no address
     * @throws BlockedAddressException every address is refused by the policy
     * @throws DnsException           the resolver gave no usable answer
     */
    public List<InetAddress> resolve(String host, Deadline deadline) throws IOException {
        List<InetAddress> all;
        if (InetAddresses.isInetAddress(host)) {
            all = List.of(InetAddresses.forString(host));
        } else {
            // A DnsException names the host and the question already; it is passed on as it is.
            DnsAnswer<InetAddress> answer = dns.addresses(host, deadline);
            if (answer.status() == DnsAnswer.Status.NXDOMAIN) {
                throw new UnknownHostException("host not found: " + host + " does not exist (NXDOMAIN)");
            }
            if (answer.isEmpty()) {
                throw new UnknownHostException(host + " has no address (no A or AAAA record)");
            }
            all = answer.records();
        }
        List<InetAddress> allowed = new ArrayList<>();
        for (InetAddress a : all) {
            if (policy.isAllowed(a)) {
                allowed.add(a);
            } else {
                log.debug("{}: skipping {}, refused by the network policy", host, InetAddresses.toAddrString(a));
            }
        }
        if (allowed.isEmpty()) {
            throw new BlockedAddressException(host + " resolves to " + all.stream().map(InetAddresses::toAddrString)
                    .toList() + ", which is not a public address; refused by the network policy");
        }
        return firstOfEachFamily(host, allowed);
    }

    private List<InetAddress> firstOfEachFamily(String host, List<InetAddress> addresses) {
        List<InetAddress> kept = new ArrayList<>();
        int v4 = 0;
        int v6 = 0;
        for (InetAddress a : addresses) {
            boolean isV4 = a instanceof java.net.Inet4Address;
            if ((isV4 ? v4++ : v6++) < ADDRESSES_PER_FAMILY) {
                kept.add(a);
            }
        }
        // Only a lookup's dialer keeps notes: it lives as long as its lookup, the shared one forever.
        if (kept.size() < addresses.size() && connectionsLeft != null) {
            limitsReached.add(host + " has " + addresses.size() + " addresses; only the first "
                    + ADDRESSES_PER_FAMILY + " of each family were tried");
        }
        return kept;
    }

    /** Counts a connection against the lookup's limit; refuses it once the limit is reached. */
    private void admitConnection(String host) throws BlockedAddressException {
        if (connectionsLeft != null && connectionsLeft.getAndDecrement() <= 0) {
            limitsReached.add("the lookup reached its limit of " + CONNECTIONS_PER_LOOKUP
                    + " connections; later ones were not opened");
            throw new BlockedAddressException("not connecting to " + host + ": the lookup already opened "
                    + CONNECTIONS_PER_LOOKUP + " connections");
        }
    }

    /**
     * Opens a TCP connection (no Nagle) to an address the policy allows; the policy is checked before the
     * first packet and again on the connected peer. {@code host} names the server for messages.
     */
    public Socket connect(InetAddress address, int port, Duration timeout, String host) throws IOException {
        Socket s = new PolicySocket();
        try {
            s.connect(new InetSocketAddress(address, port), (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                    timeout.toMillis())));
            check(s.getInetAddress(), host);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Throws unless the policy allows this peer; for connections made elsewhere (pooled HTTP connections). */
    public void check(InetAddress peer, String host) throws BlockedAddressException {
        policy.check(peer, host);
    }

    /** Unconnected sockets that refuse, on connect, an address the policy does not allow (for OkHttp). */
    public SocketFactory socketFactory() {
        return new PolicySocketFactory();
    }

    private final class PolicySocketFactory extends SocketFactory {
        @Override
        public Socket createSocket() {
            return new PolicySocket();
        }

        @Override
        public Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException("unconnected sockets only");
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException("unconnected sockets only");
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException("unconnected sockets only");
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException("unconnected sockets only");
        }
    }

    private final class PolicySocket extends Socket {
        PolicySocket() {
            try {
                // Without it, the end of a TLS handshake and a request wait for the server's delayed ACK.
                setTcpNoDelay(true);
            } catch (java.net.SocketException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (!(endpoint instanceof InetSocketAddress isa) || isa.isUnresolved()) {
                throw new BlockedAddressException("refusing to connect to unresolved address " + endpoint);
            }
            policy.check(isa.getAddress(), isa.getHostString());
            admitConnection(isa.getHostString());
            super.connect(endpoint, timeout);
        }
    }

    /**
     * The resolver, with the first address answer of each name kept for the rest of the lookup. Concurrent
     * first questions share one query in the DNS cache; should two answers still arrive, the first stored wins
     * and both askers get it. A failure is no answer: it is not kept, and the next asker asks again.
     */
    private static final class PinnedAddresses extends AddressDecorator {
        private final ConcurrentMap<String, DnsAnswer<InetAddress>> pinned = new ConcurrentHashMap<>();

        PinnedAddresses(DnsClient dns) {
            super(dns);
        }

        @Override
        public DnsAnswer<InetAddress> addresses(String host, Deadline deadline) throws DnsException {
            DnsAnswer<InetAddress> pin = pinned.get(host);
            if (pin != null) {
                return pin;
            }
            DnsAnswer<InetAddress> answer = delegate.addresses(host, deadline);
            DnsAnswer<InetAddress> first = pinned.putIfAbsent(host, answer);
            return first == null ? answer : first;
        }
    }
}
