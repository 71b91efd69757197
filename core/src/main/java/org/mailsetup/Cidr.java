package org.mailsetup;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation, such as {@code 127.0.0.0/8} or {@code fd00::/8}. Host bits
 * are cleared, so {@code 10.1.2.3/8} is {@code 10.0.0.0/8}. {@link MailSetup.Builder#allowNetwork(String)}
 * parses its argument with {@link #parse(String)}; applications use it for their own address rules too
 * (the service's trusted proxies).
 */
public record Cidr(byte[] network, int prefixLength) {

    private static final Pattern PREFIX = Pattern.compile("[0-9]{1,3}");

    public Cidr {
        if (network == null || (network.length != 4 && network.length != 16)) {
            throw new IllegalArgumentException("a network address has 4 (IPv4) or 16 (IPv6) bytes");
        }
        int max = network.length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + max);
        }
        // A copy, so the caller's array cannot change the network afterwards.
        network = network.clone();
        for (int bit = prefixLength; bit < max; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
    }

    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no network given");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        // A zone index (fe80::1%eth0) names an interface, not part of a network.
        if (addr.indexOf('%') >= 0 || !InetAddresses.isInetAddress(addr)) {
            throw new IllegalArgumentException("'" + text + "' is not a network in CIDR notation (e.g. 10.0.0.0/8)");
        }
        byte[] bytes = InetAddresses.forString(addr).getAddress();
        boolean writtenAsV6 = addr.indexOf(':') >= 0;
        int max = writtenAsV6 ? 128 : 32;
        int prefix = max;
        if (slash >= 0) {
            String len = s.substring(slash + 1);
            if (!PREFIX.matcher(len).matches()) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
            }
            prefix = Integer.parseInt(len);
        }
        if (prefix > max) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + max);
        }
        if (writtenAsV6 && bytes.length == 4) {
            // ::ffff:a.b.c.d: Java only ever hands out such addresses as IPv4, so the network must be IPv4 to match.
            if (prefix < 96) {
                throw new IllegalArgumentException("'" + text + "' is IPv4-mapped; its prefix length must be 96 or more");
            }
            prefix -= 96;
        }
        return new Cidr(bytes, prefix);
    }

    /** The network address (a copy). */
    @Override
    public byte[] network() {
        return network.clone();
    }

    /** True when the address is in this network; an address of the other family never is. */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    public boolean contains(byte[] addr) {
        if (addr.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (addr[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (addr[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        try {
            return InetAddresses.toAddrString(InetAddress.getByAddress(network)) + "/" + prefixLength;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }
}
