package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginModelTest {

    @Test
    void outcomesHaveTheContractsNames() {
        assertThat(Arrays.stream(LoginOutcome.values()).map(LoginOutcome::jsonName)).containsExactly("ok",
                "bad-credentials", "app-password-required", "oauth-required", "service-disabled", "account-locked",
                "mechanism-unsupported", "tls-failure", "network-failure", "timeout", "server-error");
    }

    @Test
    void onlyServerSideOutcomesAllowAnotherServer() {
        assertThat(Arrays.stream(LoginOutcome.values()).filter(LoginOutcome::aboutTheServer)).containsExactly(
                LoginOutcome.MECHANISM_UNSUPPORTED, LoginOutcome.TLS_FAILURE, LoginOutcome.NETWORK_FAILURE,
                LoginOutcome.TIMEOUT);
    }

    @Test
    void aReportsJsonShape() throws Exception {
        LoginReport r = new LoginReport(new Endpoint(Protocol.SMTP, "smtp.example.org", 465, Security.TLS),
                LoginOutcome.APP_PASSWORD_REQUIRED, "PLAIN", "alice@example.org", 120, "192.0.2.1",
                "534 5.7.9 Application-specific password required", null, null, List.of());
        assertThat(new ObjectMapper().writeValueAsString(r)).isEqualTo("{\"endpoint\":{\"protocol\":\"smtp\","
                + "\"host\":\"smtp.example.org\",\"port\":465,\"security\":\"tls\"},\"outcome\":\"app-password-required\","
                + "\"mechanism\":\"PLAIN\",\"username\":\"alice@example.org\",\"elapsedMs\":120,\"address\":\"192.0.2.1\","
                + "\"response\":\"534 5.7.9 Application-specific password required\",\"detail\":null,\"help\":null,"
                + "\"warnings\":[]}");
    }

    @Test
    void credentialsHideAndZeroTheirSecret() {
        char[] password = "hunter2-long".toCharArray();
        Credentials c = Credentials.password("alice", password);
        assertThat(c.toString()).isEqualTo("Password[username=alice, password=***]");
        assertThat(c.secret()).isSameAs(password);
        c.close();
        assertThat(password).containsOnly('\0');
        assertThat(c.isClosed()).isTrue();
        assertThatThrownBy(c::secret).isInstanceOf(IllegalStateException.class);
        assertThat(Credentials.oauth2(null, "tok".toCharArray()).toString()).isEqualTo("OAuth2Token[username=null, token=***]");
    }

    @Test
    void badCredentialsAreRefusedAtOnce() {
        assertThatThrownBy(() -> Credentials.password("alice", new char[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Credentials.password("al\nice", "x".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control");
        assertThatThrownBy(() -> Credentials.password(" ", "x".toCharArray())).isInstanceOf(IllegalArgumentException.class);
    }
}
