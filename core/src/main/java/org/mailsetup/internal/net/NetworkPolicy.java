package org.mailsetup.internal.net;

import java.net.InetAddress;
import java.util.List;
import org.mailsetup.Cidr;

/**
 * Decides, on the address actually dialled, whether mailsetup may connect: public unicast addresses
 * only, unless the operator allowed a network. Addresses come from email domains, DNS answers,
 * config files and redirects, i.e. from strangers, so loopback, private, link-local (including the
 * cloud metadata address), CGNAT, multicast, documentation and other special ranges are refused, and
 * IPv6 forms that embed an IPv4 address are judged by that address.
 */
public final class NetworkPolicy {

    private static final List<Cidr> NON_PUBLIC = List.of(
            // IPv4 (RFC 6890 special-purpose registry)
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"),
            Cidr.parse("127.0.0.0/8"), Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.0.0.0/24"), Cidr.parse("192.0.2.0/24"), Cidr.parse("192.88.99.0/24"),
            Cidr.parse("192.168.0.0/16"), Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"),
            Cidr.parse("203.0.113.0/24"), Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"),
            // IPv6
            Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("100::/64"), Cidr.parse("2001:2::/48"),
            Cidr.parse("2001:db8::/32"), Cidr.parse("2001:10::/28"), Cidr.parse("2001:20::/28"),
            Cidr.parse("3fff::/20"), Cidr.parse("5f00::/16"), Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"),
            Cidr.parse("fec0::/10"), Cidr.parse("ff00::/8"));

    private static final Cidr V4_COMPATIBLE = Cidr.parse("::/96");
    // Built from bytes: parsing "::ffff:0:0/96" yields the IPv4 network 0.0.0.0/0, as Java maps such addresses.
    private static final Cidr V4_MAPPED =
            new Cidr(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, 96);
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr NAT64_LOCAL = Cidr.parse("64:ff9b:1::/48");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr TEREDO = Cidr.parse("2001::/32");
    private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3");

    private final List<Cidr> allowed;

    private NetworkPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Public addresses only. */
    public static NetworkPolicy publicOnly() {
        return new NetworkPolicy(List.of());
    }

    /** Public addresses plus the given networks (for tests, labs and private deployments). */
    public static NetworkPolicy allowing(List<Cidr> networks) {
        return new NetworkPolicy(networks);
    }

    public List<Cidr> allowedNetworks() {
        return allowed;
    }

    public boolean isAllowed(InetAddress address) {
        for (Cidr c : allowed) {
            if (c.contains(address)) {
                return true;
            }
        }
        return isPublic(address.getAddress());
    }

    /** Throws unless the address may be connected to; {@code what} names the host for the message. */
    public void check(InetAddress address, String what) throws BlockedAddressException {
        if (!isAllowed(address)) {
            throw new BlockedAddressException(what + " resolves to " + address.getHostAddress()
                    + ", which is not a public address; refused by the network policy");
        }
    }

    static boolean isPublic(byte[] a) {
        if (a.length == 16) {
            if (V4_MAPPED.contains(a) || NAT64.contains(a)) {
                return isPublic(java.util.Arrays.copyOfRange(a, 12, 16));
            }
            if (SIX_TO_FOUR.contains(a)) {
                return isPublic(java.util.Arrays.copyOfRange(a, 2, 6));
            }
            if (TEREDO.contains(a)) {
                // The client's IPv4 address is stored inverted in the last four bytes.
                byte[] v4 = java.util.Arrays.copyOfRange(a, 12, 16);
                for (int i = 0; i < 4; i++) {
                    v4[i] = (byte) ~v4[i];
                }
                return isPublic(v4);
            }
            if (V4_COMPATIBLE.contains(a) || NAT64_LOCAL.contains(a) || !GLOBAL_UNICAST_V6.contains(a)) {
                return false;
            }
        }
        for (Cidr c : NON_PUBLIC) {
            if (c.contains(a)) {
                return false;
            }
        }
        return true;
    }
}
