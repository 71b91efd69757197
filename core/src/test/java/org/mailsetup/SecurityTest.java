package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one socketType table of config-v1.1, which the parser, the writer and the validator share. */
class SecurityTest {

    @Test
    void everySocketTypeReadsBackAsItsSecurity() {
        for (Security s : Security.values()) {
            assertThat(Security.fromSocketType(s.socketType())).contains(s);
        }
        assertThat(Security.TLS.socketType()).isEqualTo("SSL");
        assertThat(Security.PLAIN.socketType()).isEqualTo("plain");
    }

    @Test
    void readingIsLenientWhereClientsAre() {
        assertThat(Security.fromSocketType(" tls ")).contains(Security.TLS);
        assertThat(Security.fromSocketType("starttls")).contains(Security.STARTTLS);
        assertThat(Security.fromSocketType(null)).contains(Security.PLAIN);
        assertThat(Security.fromSocketType("SSL/TLS")).isEmpty();
    }
}
