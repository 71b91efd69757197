package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @Test
    void parsesIpv4AndIpv6Networks() {
        Cidr v4 = Cidr.parse("10.0.0.0/8");
        assertThat(v4.prefixLength()).isEqualTo(8);
        assertThat(v4.contains(InetAddresses.forString("10.200.1.1"))).isTrue();
        assertThat(v4.contains(InetAddresses.forString("11.0.0.1"))).isFalse();
        assertThat(v4).hasToString("10.0.0.0/8");

        Cidr v6 = Cidr.parse(" fe80::/10 ");
        assertThat(v6.contains(InetAddresses.forString("febf::1"))).isTrue();
        assertThat(v6.contains(InetAddresses.forString("fec0::1"))).isFalse();
        assertThat(v6).hasToString("fe80::/10");
    }

    @Test
    void aBareAddressIsASingleHost() {
        assertThat(Cidr.parse("192.0.2.7")).isEqualTo(Cidr.parse("192.0.2.7/32"));
        assertThat(Cidr.parse("2001:db8::1").prefixLength()).isEqualTo(128);
        assertThat(Cidr.parse("192.0.2.7").contains(InetAddresses.forString("192.0.2.8"))).isFalse();
    }

    @Test
    void familiesNeverMatchEachOther() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddresses.forString("::1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(InetAddresses.forString("127.0.0.1"))).isFalse();
    }

    @Test
    void zeroPrefixMatchesTheWholeFamily() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddresses.forString("203.0.113.9"))).isTrue();
        assertThat(Cidr.parse("::/0").contains(InetAddresses.forString("2606:4700::1"))).isTrue();
    }

    @Test
    void hostBitsAreCleared() {
        Cidr c = Cidr.parse("10.1.2.3/8");

        assertThat(c).isEqualTo(Cidr.parse("10.0.0.0/8")).hasToString("10.0.0.0/8");
        assertThat(c.contains(InetAddresses.forString("10.9.9.9"))).isTrue();
        assertThat(Cidr.parse("2001:db8::ff/120")).isEqualTo(Cidr.parse("2001:db8::/120"));
        assertThat(Cidr.parse("172.31.0.1/12")).hasToString("172.16.0.0/12");
    }

    @Test
    void ipv4MappedNotationIsTheIpv4Network() {
        // Java hands out mapped addresses as IPv4, so the network must be IPv4 to ever match.
        Cidr c = Cidr.parse("::ffff:10.0.0.0/104");

        assertThat(c).isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(c.contains(InetAddresses.forString("::ffff:10.1.1.1"))).isTrue();
    }

    @Test
    void networkBytesCannotBeChangedFromOutside() {
        byte[] bytes = {10, 0, 0, 0};
        Cidr c = new Cidr(bytes, 8);
        bytes[0] = 11;
        c.network()[0] = 12;

        assertThat(c.contains(InetAddresses.forString("10.1.1.1"))).isTrue();
    }

    @Test
    void constructorRejectsInconsistentValues() {
        assertThatThrownBy(() -> new Cidr(new byte[] {10, 0, 0, 0}, 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Cidr(new byte[] {10, 0, 0}, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Cidr(null, 8)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/8/9",
            "10.0.0.0/x", "10.0.0/8", "10.0.0.256/8", "example.org/8", "localhost", "::1/129", "fe80::1%eth0/64",
            "::ffff:10.0.0.0/95", "10.0.0.0/ 8", "10.0.0.0/+8", "10.0.0.0/99999999999"})
    void rejectsMalformedNetworksClearly(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> Cidr.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
