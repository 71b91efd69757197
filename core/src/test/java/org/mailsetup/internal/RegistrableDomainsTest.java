package org.mailsetup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistrableDomainsTest {

    @Test
    void listedSuffixes() {
        assertThat(RegistrableDomains.of("mx.example.co.uk")).hasValue("example.co.uk");
        assertThat(RegistrableDomains.of("example.co.uk")).hasValue("example.co.uk");
        assertThat(RegistrableDomains.of("aspmx.l.google.com")).hasValue("google.com");
        assertThat(RegistrableDomains.of("co.uk")).isEmpty();
    }

    @Test
    void unlistedTldsFollowTheDefaultRule() {
        assertThat(RegistrableDomains.of("mx1.mailhost.corp")).hasValue("mailhost.corp");
        assertThat(RegistrableDomains.of("mailhost.corp")).hasValue("mailhost.corp");
        assertThat(RegistrableDomains.of("a.b.c.lab-tld-unknown")).hasValue("c.lab-tld-unknown");
    }

    @Test
    void privateSectionSuffixesAreSuffixes() {
        assertThat(RegistrableDomains.of("www.alice.github.io")).hasValue("alice.github.io");
        assertThat(RegistrableDomains.of("github.io")).isEmpty();
    }

    @Test
    void neverABareTldOrAnInvalidName() {
        assertThat(RegistrableDomains.of("corp")).isEmpty();
        assertThat(RegistrableDomains.of("com")).isEmpty();
        assertThat(RegistrableDomains.of("")).isEmpty();
        assertThat(RegistrableDomains.of("192.0.2.1")).isEmpty();
        assertThat(RegistrableDomains.of("bad..name.org")).isEmpty();
    }

    @Test
    void sameOwnerMeansWithinTheRegistrableDomain() {
        assertThat(RegistrableDomains.sameOwner("imap.example.org", "mail.example.org")).isTrue();
        assertThat(RegistrableDomains.sameOwner("imap.example.co.uk", "example.co.uk")).isTrue();
        assertThat(RegistrableDomains.sameOwner("imap.other.co.uk", "example.co.uk")).isFalse();
        assertThat(RegistrableDomains.sameOwner("imap.mailhost.corp", "dept.mailhost.corp")).isTrue();
        assertThat(RegistrableDomains.sameOwner("bob.github.io", "alice.github.io")).isFalse();
        assertThat(RegistrableDomains.sameOwner("example.org.evil.net", "example.org")).isFalse();
    }
}
