package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointParseTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "imap://imap.example.org:993/tls, IMAP, imap.example.org, 993, TLS",
            "imap://IMAP.Example.org, IMAP, imap.example.org, 993, TLS",
            "pop3://pop.example.org:110/starttls, POP3, pop.example.org, 110, STARTTLS",
            "smtp://smtp.example.org:587, SMTP, smtp.example.org, 587, STARTTLS",
            "smtp://smtp.example.org/starttls, SMTP, smtp.example.org, 587, STARTTLS",
            "smtp://[2001:db8::1]:465/tls, SMTP, 2001:db8::1, 465, TLS",
            "imap://192.0.2.1/plain, IMAP, 192.0.2.1, 143, PLAIN",
    })
    void reads(String text, Protocol protocol, String host, int port, Security security) {
        assertThat(Endpoint.parse(text)).isEqualTo(new Endpoint(protocol, host, port, security));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "imap.example.org", "http://example.org", "imap://", "imap://host:993/ssl3",
            "imap://user@host", "imap://host:99999/tls", "imap://host?x=1", "imap://bad_host!/tls"})
    void refusesWithAReason(String text) {
        assertThatThrownBy(() -> Endpoint.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception");
    }
}
