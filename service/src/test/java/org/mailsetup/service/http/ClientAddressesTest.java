package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailsetup.Cidr;

/** Whom a request comes from: the peer, or behind a trusted proxy the client it forwards for. */
class ClientAddressesTest {

    private static final String PROXY = "10.0.0.2";
    private static final List<Cidr> PROXIES = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1/128"));
    private final ClientAddresses clients = behind(TrustedProxies.Header.X_FORWARDED_FOR);

    private static ClientAddresses behind(TrustedProxies.Header header) {
        return new ClientAddresses(new TrustedProxies(PROXIES, header));
    }

    private String xff(String peer, String... lines) {
        return clients.resolve(peer, List.of(lines));
    }

    private String fwd(String peer, String... lines) {
        return behind(TrustedProxies.Header.FORWARDED).resolve(peer, List.of(lines));
    }

    @Test
    void anUntrustedPeersHeadersAreIgnored() {
        assertThat(xff("203.0.113.5", "198.51.100.1")).isEqualTo("203.0.113.5");
        assertThat(fwd("203.0.113.5", "for=198.51.100.1")).isEqualTo("203.0.113.5");
        // Trust is by the peer only; an address in the header that looks like a proxy changes nothing.
        assertThat(xff("203.0.113.5", "198.51.100.1, 10.0.0.9")).isEqualTo("203.0.113.5");
        assertThat(new ClientAddresses(TrustedProxies.none()).resolve("203.0.113.5", List.of("198.51.100.1")))
                .isEqualTo("203.0.113.5");
    }

    @Test
    void aTrustedPeerWithoutHeadersIsTheClient() {
        assertThat(clients.resolve(PROXY, List.of())).isEqualTo(PROXY);
        // Vert.x writes IPv6 peers in full; the key is canonical either way.
        assertThat(clients.resolve("0:0:0:0:0:0:0:1", List.of())).isEqualTo("::1");
    }

    @Test
    void xForwardedForIsWalkedFromTheRightSkippingTrustedProxies() {
        assertThat(xff(PROXY, "198.51.100.1")).isEqualTo("198.51.100.1");
        // The left-most entry is whatever the client sent; the right-most untrusted one is who connected.
        assertThat(xff(PROXY, "192.0.2.66, 198.51.100.1, 10.0.0.7")).isEqualTo("198.51.100.1");
        assertThat(xff(PROXY, "192.0.2.66", "198.51.100.1, 10.0.0.7")).isEqualTo("198.51.100.1");
        // IPv4-mapped IPv6 is the IPv4 address, so it is a trusted proxy here too.
        assertThat(xff(PROXY, "198.51.100.1, ::ffff:10.0.0.7")).isEqualTo("198.51.100.1");
        // A request from inside: every hop trusted, the left-most is the origin.
        assertThat(xff(PROXY, "10.1.2.3, 10.0.0.7")).isEqualTo("10.1.2.3");
        assertThat(xff("0:0:0:0:0:0:0:1", "2001:0db8:0:0::1")).isEqualTo("2001:db8::1");
    }

    @Test
    void xForwardedForMayCarryPorts() {
        assertThat(xff(PROXY, "198.51.100.1:4711")).isEqualTo("198.51.100.1");
        assertThat(xff(PROXY, "[2001:db8::1]:4711")).isEqualTo("2001:db8::1");
        assertThat(xff(PROXY, "[2001:db8::1]")).isEqualTo("2001:db8::1");
        assertThat(xff(PROXY, " 198.51.100.1 ,, ")).isEqualTo("198.51.100.1");
    }

    @Test
    void forwardedNamesTheClientWithFor() {
        assertThat(fwd(PROXY, "for=192.0.2.60;proto=http;by=203.0.113.43")).isEqualTo("192.0.2.60");
        assertThat(fwd(PROXY, "proto=https; For=\"192.0.2.60:8080\" ;host=example.org")).isEqualTo("192.0.2.60");
        assertThat(fwd(PROXY, "for=\"[2001:db8:cafe::17]:4711\"")).isEqualTo("2001:db8:cafe::17");
        assertThat(fwd(PROXY, "for=\"[2001:db8::1]\"")).isEqualTo("2001:db8::1");
        assertThat(fwd(PROXY, "for=\"[2001:db8::1]:_port\"")).isEqualTo("2001:db8::1");
        // Commas inside a quoted value do not split elements.
        assertThat(fwd(PROXY, "for=192.0.2.60;host=\"a,b\"")).isEqualTo("192.0.2.60");
    }

    @Test
    void forwardedIsWalkedFromTheRightAcrossElementsAndLines() {
        assertThat(fwd(PROXY, "for=192.0.2.43, for=198.51.100.17")).isEqualTo("198.51.100.17");
        assertThat(fwd(PROXY, "for=192.0.2.43", "for=198.51.100.17;by=10.0.0.2")).isEqualTo("198.51.100.17");
        assertThat(fwd(PROXY, "for=192.0.2.43, for=10.0.0.9")).isEqualTo("192.0.2.43");
        assertThat(fwd(PROXY, "for=10.0.0.8, for=10.0.0.9")).isEqualTo("10.0.0.8");
        assertThat(fwd(PROXY, "for=unknown, for=198.51.100.17")).isEqualTo("198.51.100.17");
    }

    @Test
    void obfuscatedOrUnknownClientsFallBackToThePeer() {
        assertThat(fwd(PROXY, "for=_hidden")).isEqualTo(PROXY);
        assertThat(fwd(PROXY, "for=unknown")).isEqualTo(PROXY);
        assertThat(fwd(PROXY, "for=UNKNOWN")).isEqualTo(PROXY);
        assertThat(fwd(PROXY, "for=198.51.100.17, for=_SEVKISEK")).isEqualTo(PROXY);
        // The proxy in front of ours did not say whom it served: the earlier entry cannot be vouched for.
        assertThat(fwd(PROXY, "for=198.51.100.17, for=unknown, for=10.0.0.9")).isEqualTo(PROXY);
        // An element without for= says nothing about the client.
        assertThat(fwd(PROXY, "proto=https;by=10.0.0.2")).isEqualTo(PROXY);
        assertThat(xff(PROXY, "198.51.100.1, unknown")).isEqualTo(PROXY);
    }

    @Test
    void theHeaderNamesAreKnownInAnyCase() {
        assertThat(TrustedProxies.Header.of("x-forwarded-for")).isEqualTo(TrustedProxies.Header.X_FORWARDED_FOR);
        assertThat(TrustedProxies.Header.of(" FORWARDED ")).isEqualTo(TrustedProxies.Header.FORWARDED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrustedProxies.Header.of("X-Real-IP"))
                .hasMessage("'X-Real-IP' is not X-Forwarded-For or Forwarded");
    }

    @Test
    void malformedForwardedFallsBackToThePeer() {
        for (String bad : List.of(
                "for=2001:db8::1",                 // IPv6 must be quoted and bracketed
                "for=\"2001:db8::1\"",             // and bracketed
                "for=\"[2001:db8::1\"",
                "for=\"[2001:db8::1]x\"",
                "for=\"[192.0.2.1]\"",
                "for=\"192.0.2.1",                 // unterminated quote
                "for=192.0.2.1 junk",
                "for==192.0.2.1",
                "for=",
                "=192.0.2.1",
                "for=example.org",
                "for=\"192.0.2.1:http\"",
                "for=\"192.0.2.1:123456\"",
                "for=\"[fe80::1%eth0]\"",
                "for=_bad!name",
                "for=192.0.2.1;for=192.0.2.2",     // a parameter twice in one element
                "for=198.51.100.1, garbage")) {
            assertThat(fwd(PROXY, bad)).as(bad).isEqualTo(PROXY);
        }
    }

    @Test
    void malformedXForwardedForFallsBackToThePeer() {
        for (String bad : List.of("not-an-address", "198.51.100.1, evil", "198.51.100.1:99999999", "[2001:db8::1",
                "[2001:db8::1]80", "[192.0.2.1]", "fe80::1%eth0", "198.51.100.1:", "256.0.0.1")) {
            assertThat(xff(PROXY, bad)).as(bad).isEqualTo(PROXY);
        }
    }
}
