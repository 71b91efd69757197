package org.mailsetup.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.mailsetup.Protocol;
import org.junit.jupiter.api.Test;

class AuthMechanismsTest {

    @Test
    void mapsSaslNamesToConfigNamesBestFirst() {
        assertThat(AuthMechanisms.toConfigNames(List.of("PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2", "NTLM", "GSSAPI",
                "OAUTHBEARER", "SCRAM-SHA-256", "DIGEST-MD5")))
                .containsExactly("OAuth2", "password-encrypted", "password-cleartext", "NTLM", "GSSAPI");
    }

    @Test
    void othersKeepTheirOrderAndUnknownOnesAreDropped() {
        assertThat(AuthMechanisms.toConfigNames(List.of("gssapi", "EXTERNAL", "ntlm", "plain", "ANONYMOUS")))
                .containsExactly("password-cleartext", "GSSAPI", "NTLM");
        assertThat(AuthMechanisms.toConfigNames(List.of())).isEmpty();
    }

    @Test
    void imapLoginCommandCountsUnlessLoginDisabled() {
        assertThat(AuthMechanisms.forServer(Protocol.IMAP, List.of("IMAP4rev1", "AUTH=XOAUTH2"), List.of("XOAUTH2")))
                .containsExactly("OAuth2", "password-cleartext");
        assertThat(AuthMechanisms.forServer(Protocol.IMAP, List.of("IMAP4rev1", "LOGINDISABLED"), List.of()))
                .isEmpty();
        assertThat(AuthMechanisms.passwordLoginDisabled(Protocol.IMAP, List.of("IMAP4rev1", "LOGINDISABLED")))
                .isTrue();
        assertThat(AuthMechanisms.passwordLoginDisabled(Protocol.IMAP, List.of("IMAP4rev1"))).isFalse();
    }

    @Test
    void pop3UserCountsAsCleartextButSmtpNeedsAuth() {
        assertThat(AuthMechanisms.forServer(Protocol.POP3, List.of("USER", "SASL CRAM-MD5"), List.of("CRAM-MD5")))
                .containsExactly("password-encrypted", "password-cleartext");
        assertThat(AuthMechanisms.forServer(Protocol.POP3, List.of("TOP"), List.of())).isEmpty();
        assertThat(AuthMechanisms.forServer(Protocol.SMTP, List.of("PIPELINING"), List.of())).isEmpty();
    }
}
