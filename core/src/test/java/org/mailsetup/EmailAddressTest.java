package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmailAddressTest {

    @Test
    void plainAddress() {
        EmailAddress a = EmailAddress.parse("Alice.Smith@Example.ORG");
        assertThat(a.localPart()).isEqualTo("Alice.Smith");
        assertThat(a.domain()).isEqualTo("example.org");
        assertThat(a.address()).isEqualTo("Alice.Smith@example.org");
    }

    @Test
    void surroundingWhiteSpaceAndTrailingDotAreIgnored() {
        assertThat(EmailAddress.parse("  bob@example.org.\n").address()).isEqualTo("bob@example.org");
    }

    @Test
    void internationalDomainBecomesALabelWithUts46() {
        EmailAddress a = EmailAddress.parse("jörg@Bücher.example");
        assertThat(a.domain()).isEqualTo("xn--bcher-kva.example");
        assertThat(a.unicodeDomain()).isEqualTo("bücher.example");
        assertThat(a.localPart()).isEqualTo("jörg");
    }

    @Test
    void uts46NonTransitionalKeepsEszett() {
        // IDNA2003 (java.net.IDN) would map ß to ss; IDNA2008/UTS #46 non-transitional keeps it.
        assertThat(EmailAddress.parse("a@faß.de").domain()).isEqualTo("xn--fa-hia.de");
    }

    @Test
    void fullWidthCharactersAreMapped() {
        assertThat(EmailAddress.parse("a@ｅｘａｍｐｌｅ.org").domain()).isEqualTo("example.org");
    }

    @Test
    void quotedLocalPartIsKept() {
        assertThat(EmailAddress.parse("\"john doe\"@example.org").localPart()).isEqualTo("\"john doe\"");
        assertThat(EmailAddress.parse("\"a@b\"@example.org").domain()).isEqualTo("example.org");
    }

    @Test
    void eaiLocalPartIsAccepted() {
        assertThat(EmailAddress.parse("用户@例子.广告").domain()).isEqualTo("xn--fsqu00a.xn--4rr70v");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "alice|no '@'",
            "@example.org|before '@' is empty",
            "alice@|domain after '@' is empty",
            "al ice@example.org|white space",
            "alice@exa mple.org|not a valid domain name",
            "alice..smith@example.org|not a valid local part",
            ".alice@example.org|not a valid local part",
            "alice@[192.0.2.1]|IP address literals",
            "alice@192.0.2.1|IP addresses are not supported",
            "alice@localhost|not a fully qualified",
            "alice@example..org|empty label",
            "alice@-example.org|not a valid",
            "alice@exa_mple.org|not a valid",
    })
    void invalidAddressesSayWhatIsWrong(String input, String message) {
        assertThatThrownBy(() -> EmailAddress.parse(input))
                .isInstanceOf(InvalidEmailException.class)
                .hasMessageContaining(message);
    }

    @Test
    void overLongPartsAreRejected() {
        assertThatThrownBy(() -> EmailAddress.parse("a".repeat(65) + "@example.org"))
                .hasMessageContaining("64 octets");
        assertThatThrownBy(() -> EmailAddress.parse("a@" + "b".repeat(64) + ".org"))
                .hasMessageContaining("63");
        assertThatThrownBy(() -> EmailAddress.parse("a@" + ("b".repeat(60) + ".").repeat(5) + "org"))
                .isInstanceOf(InvalidEmailException.class);
    }

    @Test
    void nullAndEmptyAreRejected() {
        assertThatThrownBy(() -> EmailAddress.parse(null)).isInstanceOf(InvalidEmailException.class);
        assertThatThrownBy(() -> EmailAddress.parse("   ")).hasMessageContaining("empty");
    }

    @Test
    void invalidIdnIsRejected() {
        // A label may not start with a combining mark (UTS #46 validity criteria).
        assertThatThrownBy(() -> EmailAddress.parse("a@\u0301example.org"))
                .isInstanceOf(InvalidEmailException.class)
                .hasMessageContaining("internationalised");
    }

    @Test
    void aLongQuotedLocalPartIsRefusedByItsLengthWithoutOverflowingTheStack() {
        // The old pattern recursed once per character and threw StackOverflowError at a few thousand.
        assertThatThrownBy(() -> EmailAddress.parse("\"" + "a".repeat(5_000) + "\"@example.org"))
                .isInstanceOf(InvalidEmailException.class)
                .hasMessageContaining("254 octets");
        assertThatThrownBy(() -> EmailAddress.parse("\"" + "\\a".repeat(40) + "\"@example.org"))
                .isInstanceOf(InvalidEmailException.class)
                .hasMessageContaining("64 octets");
        assertThat(EmailAddress.parse("\"" + "\\a".repeat(20) + "\"@example.org").domain()).isEqualTo("example.org");
    }

    @Test
    void charactersThatBreakLogsOrXmlAreNotPartOfAnAddress() {
        for (String bad : List.of("a\uffffb", "a\ufffeb", "a\u0085b", "a\ud800b", "\"a\u2028b\"", "a\u0000b")) {
            assertThatThrownBy(() -> EmailAddress.parse(bad + "@example.org"))
                    .as(bad).isInstanceOf(InvalidEmailException.class);
        }
        assertThatThrownBy(() -> EmailAddress.parse("a\u2028b@example.org")).hasMessageContaining("white space");
        assertThatThrownBy(() -> EmailAddress.parse("a@exa\nmple.org")).hasMessageContaining("'exa?mple.org'");
    }
}
