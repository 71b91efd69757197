package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The config-v1.1 server type words, which the codec, the parser and the validator share. */
class ProtocolTest {

    @Test
    void everyServerTypeReadsBackAsItsProtocol() {
        for (Protocol p : Protocol.values()) {
            assertThat(Protocol.fromServerType(p.serverType())).contains(p);
        }
        assertThat(Protocol.POP3.serverType()).isEqualTo("pop3");
    }

    @Test
    void readingIgnoresCaseAndRefusesOtherWords() {
        assertThat(Protocol.fromServerType(" IMAP ")).contains(Protocol.IMAP);
        assertThat(Protocol.fromServerType("exchange")).isEmpty();
        assertThat(Protocol.fromServerType(null)).isEmpty();
    }
}
