package org.mailsetup.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.X509TrustManager;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustStoresTest {

    private final HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0)
            .commonName("extra CA").ecdsa256().build();
    private final HeldCertificate leaf = new HeldCertificate.Builder().commonName("mail.example.org")
            .addSubjectAlternativeName("mail.example.org").ecdsa256().signedBy(ca).build();

    @Test
    void defaultsHoldTheJvmCas() {
        X509TrustManager tm = TrustStores.defaults();
        assertThat(tm.getAcceptedIssuers()).isNotEmpty();
        assertThatThrownBy(() -> tm.checkServerTrusted(chain(), "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void extraCasAreTrustedBesideTheDefaults() throws Exception {
        X509TrustManager tm = TrustStores.withExtraCas(List.of(ca.certificate()));
        tm.checkServerTrusted(chain(), "ECDHE_ECDSA");
        assertThat(tm.getAcceptedIssuers()).contains(ca.certificate());
        assertThat(tm.getAcceptedIssuers().length).isEqualTo(TrustStores.defaults().getAcceptedIssuers().length + 1);
    }

    @Test
    void readsPemFileWithSeveralCertificates(@TempDir Path dir) throws Exception {
        HeldCertificate other = new HeldCertificate.Builder().certificateAuthority(0).commonName("other").build();
        Path pem = dir.resolve("cas.pem");
        Files.writeString(pem, other.certificatePem() + ca.certificatePem());
        X509TrustManager tm = TrustStores.withExtraCas(pem);
        tm.checkServerTrusted(chain(), "ECDHE_ECDSA");
        assertThat(tm.getAcceptedIssuers()).contains(ca.certificate(), other.certificate());
    }

    @Test
    void missingFileIsAClearError(@TempDir Path dir) {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> TrustStores.withExtraCas(missing))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot read CA file").hasMessageContaining("nope.pem");
    }

    @Test
    void garbageIsAClearError(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.pem");
        Files.writeString(bad, "-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> TrustStores.withExtraCas(bad))
                .isInstanceOf(IOException.class).hasMessageContaining("bad.pem").hasMessageContaining("not a valid PEM");
    }

    @Test
    void emptyFileIsAClearError(@TempDir Path dir) throws IOException {
        Path empty = dir.resolve("empty.pem");
        Files.write(empty, "".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> TrustStores.withExtraCas(empty))
                .isInstanceOf(IOException.class).hasMessageContaining("contains no certificate");
    }

    @Test
    void privateKeyIsNotACertificate(@TempDir Path dir) throws IOException {
        Path key = dir.resolve("key.pem");
        Files.writeString(key, ca.privateKeyPkcs8Pem());
        assertThatThrownBy(() -> TrustStores.withExtraCas(key)).isInstanceOf(IOException.class)
                .hasMessageContaining("key.pem");
    }

    @Test
    void aLazyTrustManagerBuildsTheRealOneOnceWhenFirstAsked() throws Exception {
        AtomicInteger built = new AtomicInteger();
        X509TrustManager tm = TrustStores.lazy(() -> {
            built.incrementAndGet();
            return TrustStores.withExtraCas(List.of(ca.certificate()));
        });
        assertThat(built).hasValue(0);

        tm.checkServerTrusted(chain(), "ECDHE_ECDSA");
        assertThat(tm.getAcceptedIssuers()).contains(ca.certificate());
        HeldCertificate stranger = new HeldCertificate.Builder().commonName("mail.example.org")
                .addSubjectAlternativeName("mail.example.org").ecdsa256().build();
        assertThatThrownBy(() -> tm.checkServerTrusted(new X509Certificate[] {stranger.certificate()}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
        assertThat(built).hasValue(1);
    }

    @Test
    void aTrustStoreThatCannotBeBuiltRefusesEveryChain() {
        X509TrustManager tm = TrustStores.lazy(() -> {
            throw new IllegalStateException("the JVM's default trust store cannot be loaded");
        });

        assertThatThrownBy(() -> tm.checkServerTrusted(chain(), "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("cannot be loaded");
    }

    private X509Certificate[] chain() {
        return new X509Certificate[] {leaf.certificate(), ca.certificate()};
    }
}
