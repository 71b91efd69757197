package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {

    @Test
    void keepsOnlyTheFirstCharacterOfTheLocalPart() {
        assertThat(Masking.mask("alice@example.org")).isEqualTo("a***@example.org");
        assertThat(Masking.mask("\"a@b\"@example.org")).isEqualTo("\"***@example.org");
        assertThat(Masking.mask("ü@example.org")).isEqualTo("***@example.org");
    }

    @Test
    void refusesWhatCouldForgeLogLines() {
        assertThat(Masking.mask("a@example.org\nINFO fake")).isEqualTo("<invalid>");
        assertThat(Masking.mask("noatsign")).isEqualTo("<invalid>");
        assertThat(Masking.mask("@example.org")).isEqualTo("<invalid>");
        assertThat(Masking.mask(null)).isEqualTo("<none>");
    }
}
