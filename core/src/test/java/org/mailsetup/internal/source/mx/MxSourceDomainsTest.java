package org.mailsetup.internal.source.mx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MxSourceDomainsTest {

    @Test
    void parentAndRegistrableDomainOfEachMxHost() {
        assertThat(MxSource.derivedDomains(List.of("aspmx.l.google.com"), "example.org"))
                .containsExactly("l.google.com", "google.com");
        assertThat(MxSource.derivedDomains(List.of("mx1.mail.ovh.net", "mx2.mail.ovh.net"), "example.org"))
                .containsExactly("mail.ovh.net", "ovh.net");
    }

    @Test
    void neverWalksAbovePublicSuffix() {
        // co.uk is a public suffix: the registrable domain is example.co.uk and nothing above it.
        assertThat(MxSource.derivedDomains(List.of("mx.example.co.uk"), "other.org"))
                .containsExactly("example.co.uk");
        assertThat(MxSource.derivedDomains(List.of("example.co.uk"), "other.org"))
                .containsExactly("example.co.uk");
    }

    @Test
    void theEmailDomainItselfIsLeftToOtherSources() {
        assertThat(MxSource.derivedDomains(List.of("mx.example.org"), "example.org")).isEmpty();
    }

    @Test
    void tldsTheListDoesNotKnowFollowItsDefaultRule() {
        assertThat(MxSource.derivedDomains(List.of("mx1.mailhost.corp"), "example.org"))
                .containsExactly("mailhost.corp");
        assertThat(MxSource.derivedDomains(List.of("mx.eu.mailhost.corp"), "example.org"))
                .containsExactly("eu.mailhost.corp", "mailhost.corp");
    }

    @Test
    void neverAPrivateSectionSuffix() {
        assertThat(MxSource.derivedDomains(List.of("mx.alice.github.io"), "example.org"))
                .containsExactly("alice.github.io");
        assertThat(MxSource.derivedDomains(List.of("github.io"), "example.org")).isEmpty();
    }
}
