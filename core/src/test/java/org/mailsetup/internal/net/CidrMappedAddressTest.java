package org.mailsetup.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrMappedAddressTest {

    @Test
    void ipv4MappedNetworkStaysIpv6() {
        // Java parses ::ffff:0:0 as the IPv4 address 0.0.0.0; the /96 must still be an IPv6 network.
        Cidr c = Cidr.parse("::ffff:0:0/96");
        assertThat(c.network()).hasSize(16);
        assertThat(c.prefixLength()).isEqualTo(96);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        assertThat(c.contains(mapped)).isTrue();
    }

    @Test
    void policyLoadsAndJudgesMappedAddressesByTheirIpv4() throws Exception {
        NetworkPolicy p = NetworkPolicy.publicOnly();
        assertThat(p.isAllowed(InetAddress.getByName("::ffff:127.0.0.1"))).isFalse();
        assertThat(p.isAllowed(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(NetworkPolicy.allowing(List.of(Cidr.parse("127.0.0.1/32")))
                .isAllowed(InetAddress.getByName("127.0.0.1"))).isTrue();
    }
}
