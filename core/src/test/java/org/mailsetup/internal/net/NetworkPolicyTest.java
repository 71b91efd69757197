package org.mailsetup.internal.net;

import com.google.common.net.InetAddresses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailsetup.Cidr;

/** Addresses here are values only: nothing is ever connected to. */
class NetworkPolicyTest {

    private static InetAddress ip(String literal) {
        return InetAddresses.forString(literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // this network, unspecified
            "0.0.0.0", "0.1.2.3", "::",
            // loopback
            "127.0.0.1", "127.255.255.254", "::1",
            // RFC 1918
            "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255",
            // link-local, including the cloud metadata service
            "169.254.0.1", "169.254.169.254", "fe80::1", "febf:ffff::1",
            // CGNAT
            "100.64.0.1", "100.127.255.255",
            // IETF protocol assignments, benchmarking, 6to4 relay anycast
            "192.0.0.8", "198.18.0.1", "198.19.255.255", "192.88.99.1",
            // documentation
            "192.0.2.1", "198.51.100.7", "203.0.113.200", "2001:db8::1", "2001:db8:ffff::1", "3fff::1",
            // multicast, reserved, broadcast
            "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "ff02::1", "ff0e::1",
            // ULA, site-local (deprecated)
            "fc00::1", "fd12:3456:789a::1", "fec0::1",
            // IPv6 forms embedding a private IPv4 address
            "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
            "64:ff9b::a00:1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",
            "2002:0a00:0001::", "2002:7f00:0001::1", "2002:c0a8:0101::1",
            // Teredo: server 65.54.227.120, client 10.0.0.1 stored inverted (f5ff:fffe)
            "2001:0:4136:e378:8000:63bf:f5ff:fffe",
            // IPv4-compatible (deprecated)
            "::a00:1", "::808:808",
            // local-use NAT64, discard-only, benchmarking, ORCHID, SRv6 SIDs, outside 2000::/3
            "64:ff9b:1::1", "100::1", "2001:2::1", "2001:10::1", "2001:20::1", "5f00::1", "4000::1", "::2:1"})
    void refusesNonPublicAddresses(String literal) {
        NetworkPolicy policy = NetworkPolicy.publicOnly();
        InetAddress address = ip(literal);

        assertThat(policy.isAllowed(address)).as(literal).isFalse();
        assertThatThrownBy(() -> policy.check(address, "imap.example.org"))
                .isInstanceOf(BlockedAddressException.class)
                .hasMessageContaining("imap.example.org").hasMessageContaining("not a public address");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "8.8.8.8", "1.1.1.1", "9.9.9.9", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
            "169.253.255.255", "192.169.0.1", "223.255.255.255",
            "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "2001:4860:4860::8888",
            "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:0808:0808::1",
            // Teredo with a public client address (8.8.8.8 inverted: f7f7:f7f7)
            "2001:0:4136:e378:8000:63bf:f7f7:f7f7"})
    void allowsPublicAddresses(String literal) throws BlockedAddressException {
        NetworkPolicy policy = NetworkPolicy.publicOnly();

        assertThat(policy.isAllowed(ip(literal))).as(literal).isTrue();
        policy.check(ip(literal), "imap.example.org");
    }

    @Test
    void allowedNetworksLetThoseAddressesThrough() throws BlockedAddressException {
        NetworkPolicy policy = NetworkPolicy.allowing(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("fd00::/8")));

        assertThat(policy.isAllowed(ip("127.0.0.1"))).isTrue();
        assertThat(policy.isAllowed(ip("127.1.2.3"))).isTrue();
        assertThat(policy.isAllowed(ip("fd00::25"))).isTrue();
        policy.check(ip("127.0.0.1"), "localhost test server");
        // Only those networks: everything else stays refused, public stays allowed.
        assertThat(policy.isAllowed(ip("::1"))).isFalse();
        assertThat(policy.isAllowed(ip("10.0.0.1"))).isFalse();
        assertThat(policy.isAllowed(ip("169.254.169.254"))).isFalse();
        assertThat(policy.isAllowed(ip("fc00::1"))).isFalse();
        assertThat(policy.isAllowed(ip("8.8.8.8"))).isTrue();
        assertThat(policy.allowedNetworks()).containsExactly(Cidr.parse("127.0.0.0/8"), Cidr.parse("fd00::/8"));
    }

    @Test
    void publicOnlyAllowsNoExtraNetworks() {
        assertThat(NetworkPolicy.publicOnly().allowedNetworks()).isEmpty();
    }

    @Test
    void judgesRawMappedBytesByTheEmbeddedAddress() {
        // Java turns ::ffff:a.b.c.d into an Inet4Address, but raw 16-byte forms must be judged the same.
        byte[] mappedPrivate = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
        byte[] mappedPublic = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 8, 8, 8, 8};

        assertThat(NetworkPolicy.isPublic(mappedPrivate)).isFalse();
        assertThat(NetworkPolicy.isPublic(mappedPublic)).isTrue();
    }
}
