package org.mailsetup.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import okhttp3.tls.HeldCertificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileSignerTest {

    private static final byte[] PROFILE = "<plist version=\"1.0\"><dict/></plist>\n".getBytes(StandardCharsets.UTF_8);

    private static final HeldCertificate CA = new HeldCertificate.Builder().certificateAuthority(1)
            .commonName("Profile Test Root").rsa2048().build();
    private static final HeldCertificate INTERMEDIATE = new HeldCertificate.Builder().certificateAuthority(0)
            .commonName("Profile Test Intermediate").rsa2048().signedBy(CA).build();

    @TempDir
    Path dir;

    private Path write(String name, String pem) throws IOException {
        return Files.writeString(dir.resolve(name), pem, StandardCharsets.US_ASCII);
    }

    private static HeldCertificate leaf(HeldCertificate.Builder b) {
        return b.commonName("profiles.example.org").signedBy(INTERMEDIATE).build();
    }

    private static CMSSignedData verified(byte[] signed, X509Certificate expectedSigner) throws Exception {
        CMSSignedData cms = new CMSSignedData(signed);
        Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
        assertThat(signers).hasSize(1);
        SignerInformation signer = signers.iterator().next();
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(expectedSigner))).isTrue();
        assertThat(signer.getDigestAlgOID()).isEqualTo("2.16.840.1.101.3.4.2.1"); // SHA-256
        return cms;
    }

    @Test
    void signsWithAnRsaKeyAndCarriesTheProfileAndTheChain() throws Exception {
        HeldCertificate leaf = leaf(new HeldCertificate.Builder().rsa2048());
        // Intermediate first: the signer finds the key's certificate wherever it is in the file.
        Path chain = write("chain.pem", INTERMEDIATE.certificatePem() + leaf.certificatePem());
        Path key = write("key.pem", leaf.privateKeyPkcs8Pem());

        ProfileSigner signer = ProfileSigner.fromPem(chain, key);
        CMSSignedData cms = verified(signer.sign(PROFILE), leaf.certificate());

        assertThat(signer.certificate()).isEqualTo(leaf.certificate());
        assertThat((byte[]) cms.getSignedContent().getContent()).isEqualTo(PROFILE);
        assertThat(cms.getCertificates().getMatches(null)).map(X509CertificateHolder::getSubject).map(Object::toString)
                .containsExactly("CN=profiles.example.org", "CN=Profile Test Intermediate");
    }

    @Test
    void readsPemWithAttributeTextAsExportedFromPkcs12() throws Exception {
        HeldCertificate leaf = leaf(new HeldCertificate.Builder().rsa2048());
        String bagAttributes = "Bag Attributes\n    friendlyName: Zertifikat für Profile\nsubject=/CN=profiles.example.org\n";
        Path chain = Files.writeString(dir.resolve("chain.pem"), bagAttributes + leaf.certificatePem(), StandardCharsets.UTF_8);
        Path key = Files.writeString(dir.resolve("key.pem"), bagAttributes + leaf.privateKeyPkcs8Pem(), StandardCharsets.UTF_8);

        verified(ProfileSigner.fromPem(chain, key).sign(PROFILE), leaf.certificate());
    }

    @Test
    void signsWithAnEcKey() throws Exception {
        HeldCertificate leaf = leaf(new HeldCertificate.Builder().ecdsa256());
        ProfileSigner signer = ProfileSigner.fromPem(write("cert.pem", leaf.certificatePem()),
                write("key.pem", leaf.privateKeyPkcs8Pem()));

        verified(signer.sign(PROFILE), leaf.certificate());
    }

    @Test
    void readsATraditionalRsaKeyFile() throws Exception {
        HeldCertificate leaf = leaf(new HeldCertificate.Builder().rsa2048());
        ProfileSigner signer = ProfileSigner.fromPem(write("cert.pem", leaf.certificatePem()),
                write("key.pem", leaf.privateKeyPkcs1Pem()));

        verified(signer.sign(PROFILE), leaf.certificate());
    }

    @Test
    void refusesAKeyOfAnotherCertificate() throws Exception {
        HeldCertificate leaf = leaf(new HeldCertificate.Builder().rsa2048());
        HeldCertificate other = leaf(new HeldCertificate.Builder().rsa2048());

        assertThatThrownBy(() -> ProfileSigner.fromPem(write("cert.pem", leaf.certificatePem()),
                write("key.pem", other.privateKeyPkcs8Pem())))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessage("the private key belongs to none of the 1 certificate(s) given");
    }

    @Test
    void refusesAnExpiredCertificate() {
        long now = System.currentTimeMillis();
        HeldCertificate expired = leaf(new HeldCertificate.Builder().rsa2048()
                .validityInterval(now - 3 * 86_400_000L, now - 86_400_000L));

        assertThatThrownBy(() -> ProfileSigner.of(expired.keyPair().getPrivate(), List.of(expired.certificate())))
                .isInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void explainsFilesWithoutACertificateOrAKey() throws Exception {
        HeldCertificate leaf = leaf(new HeldCertificate.Builder().rsa2048());
        Path cert = write("cert.pem", leaf.certificatePem());
        Path key = write("key.pem", leaf.privateKeyPkcs8Pem());
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(new JcaPKCS8Generator(leaf.keyPair().getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                            .setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build()));
        }
        Path encrypted = write("encrypted.pem", pem.toString());
        Path garbage = write("garbage.pem", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> ProfileSigner.fromPem(key, key)).hasMessageEndingWith("holds no PEM certificate");
        assertThatThrownBy(() -> ProfileSigner.fromPem(cert, cert)).hasMessageContaining("holds no unencrypted PEM private key");
        assertThatThrownBy(() -> ProfileSigner.fromPem(cert, encrypted)).hasMessageContaining("holds no unencrypted PEM private key");
        assertThatThrownBy(() -> ProfileSigner.fromPem(garbage, key)).isInstanceOf(IOException.class);
    }
}
