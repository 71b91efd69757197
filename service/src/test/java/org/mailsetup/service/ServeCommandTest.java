package org.mailsetup.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsetup.Cidr;
import org.mailsetup.service.http.RateLimit;
import org.mailsetup.service.http.ServeSettings;
import org.mailsetup.service.http.TrustedProxies;
import picocli.CommandLine;

class ServeCommandTest {

    private static ServeSettings parse(String... args) {
        ServeCommand cmd = new ServeCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.parseArgs(args);
        cmd.spec = cl.getCommandSpec();
        return cmd.settings();
    }

    @Test
    void defaultsAreSafe() {
        ServeSettings s = parse();

        assertThat(s.bind()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.rateLimit()).isEqualTo(new RateLimit(60, Duration.ofMinutes(1), 20));
        assertThat(s.maxLookupsPerClient()).isEqualTo(8);
        assertThat(s.corsOrigins()).isEmpty();
        assertThat(s.maxTimeout()).isEqualTo(Duration.ofSeconds(15));
        // The response deadline leaves the discovery deadline (6 s) room to answer first.
        assertThat(s.defaultTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(s.trustedProxies().networks()).isEmpty();
    }

    @Test
    void profileSigningNeedsACertificateAndItsKey(@TempDir Path dir) throws Exception {
        HeldCertificate cert = new HeldCertificate.Builder().commonName("profiles.example.test").rsa2048().build();
        HeldCertificate other = new HeldCertificate.Builder().rsa2048().build();
        Path certPem = Files.writeString(dir.resolve("cert.pem"), cert.certificatePem());
        Path keyPem = Files.writeString(dir.resolve("key.pem"), cert.privateKeyPkcs8Pem());
        Path otherKey = Files.writeString(dir.resolve("other.pem"), other.privateKeyPkcs8Pem());

        assertThat(parse().profileSigner()).isNull();
        assertThat(parse("--profile-signing-cert", certPem.toString(), "--profile-signing-key", keyPem.toString())
                .profileSigner().certificate()).isEqualTo(cert.certificate());
        assertThatThrownBy(() -> parse("--profile-signing-cert", certPem.toString()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--profile-signing-cert and --profile-signing-key go together");
        assertThatThrownBy(() -> parse("--profile-signing-cert", certPem.toString(), "--profile-signing-key", otherKey.toString()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("profile signing: the private key belongs to none of the 1 certificate(s) given");
    }

    private static ServeCommand command(String... args) {
        ServeCommand cmd = new ServeCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.parseArgs(args);
        cmd.spec = cl.getCommandSpec();
        return cmd;
    }

    @Test
    void redisIsOptionalAndItsUrlAndTimeoutAreChecked() {
        assertThat(command().redis()).isNull();
        assertThatThrownBy(() -> command("--redis", "http://cache.example:6379").redis())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("a Redis URL starts with redis:// or rediss://");
        assertThatThrownBy(() -> command("--redis", "redis://cache.example", "--redis-timeout", "2s").redis())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("well inside the lookup deadline");
    }

    @Test
    void trustedProxiesAreRepeatableAndCommaSeparated() {
        ServeSettings s = parse("--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "192.168.1.7, ::1");

        assertThat(s.trustedProxies().networks()).containsExactly(Cidr.parse("10.0.0.0/8"),
                Cidr.parse("192.168.1.7/32"), Cidr.parse("::1/128"));
        assertThat(s.trustedProxies().header()).isEqualTo(TrustedProxies.Header.X_FORWARDED_FOR);
    }

    @Test
    void theProxyHeaderIsOneOfTwo() {
        assertThat(parse("--trusted-proxy", "10.0.0.0/8", "--trusted-proxy-header", "forwarded").trustedProxies().header())
                .isEqualTo(TrustedProxies.Header.FORWARDED);
        assertThatThrownBy(() -> parse("--trusted-proxy-header", "X-Real-IP"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("'X-Real-IP' is not X-Forwarded-For or Forwarded");
    }

    @Test
    void flagsMapToSettings() {
        ServeSettings s = parse("--port", "9090", "--bind", "0.0.0.0", "--cors-origin", "https://a.example",
                "--cors-origin", "https://b.example,https://c.example", "--rate-limit", "5/s", "--rate-burst", "9",
                "--max-timeout", "30s", "--timeout", "2s");

        assertThat(s.port()).isEqualTo(9090);
        assertThat(s.bind()).isEqualTo("0.0.0.0");
        assertThat(s.corsOrigins()).containsExactly("https://a.example", "https://b.example", "https://c.example");
        assertThat(s.rateLimit()).isEqualTo(new RateLimit(5, Duration.ofSeconds(1), 9));
        assertThat(s.maxTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.defaultTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void noRateLimitSwitchesBothLimitsOff() {
        ServeSettings s = parse("--no-rate-limit");
        assertThat(s.rateLimit()).isNull();
        assertThat(s.maxLookupsPerClient()).isZero();
    }

    @Test
    void badValuesAreUsageErrors() {
        for (List<String> args : List.of(List.of("serve", "--rate-limit", "fast"), List.of("serve", "--max-timeout", "soon"),
                List.of("serve", "--trusted-proxy", "proxy.example.org"))) {
            StringWriter err = new StringWriter();
            int status = Main.commandLine().setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
            assertThat(status).as(args.toString()).isEqualTo(2);
            assertThat(err.toString()).containsAnyOf("not a rate limit", "not a duration", "not a network in CIDR notation");
        }
    }
}
