package org.mailsetup.format;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs configuration profiles as Apple devices expect: CMS SignedData with the profile attached,
 * SHA-256, and the certificate chain included. A device then names the signer instead of warning
 * that the profile is unverified. Thread-safe; uses the JDK's own signature providers.
 */
public final class ProfileSigner {

    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final String algorithm;

    private ProfileSigner(PrivateKey key, List<X509Certificate> chain, String algorithm) {
        this.key = key;
        this.chain = List.copyOf(chain);
        this.algorithm = algorithm;
    }

    /**
     * A signer for this key and certificate chain. The chain may come in any order; the certificate of
     * the key goes first. Refuses a key that belongs to no certificate of the chain, and a signing
     * certificate that is not valid today.
     */
    public static ProfileSigner of(PrivateKey key, List<X509Certificate> certificates) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new GeneralSecurityException(
                    "a " + key.getAlgorithm() + " key cannot sign profiles; use an RSA or EC key");
        };
        X509Certificate own = null;
        for (X509Certificate c : certificates) {
            if (belongsTo(key, c, algorithm)) {
                own = c;
                break;
            }
        }
        if (own == null) {
            throw new GeneralSecurityException("the private key belongs to none of the "
                    + certificates.size() + " certificate(s) given");
        }
        own.checkValidity(new Date());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(own);
        for (X509Certificate c : certificates) {
            if (c != own) {
                chain.add(c);
            }
        }
        return new ProfileSigner(key, chain, algorithm);
    }

    /** A signer from PEM files: the certificate chain, and an unencrypted private key (PKCS#8, PKCS#1 or SEC1). */
    public static ProfileSigner fromPem(Path certificateChain, Path privateKey) throws IOException, GeneralSecurityException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        for (Object o : pemObjects(certificateChain)) {
            if (o instanceof X509CertificateHolder h) {
                certificates.add(certs.getCertificate(h));
            }
        }
        if (certificates.isEmpty()) {
            throw new CertificateException(certificateChain + " holds no PEM certificate");
        }
        PrivateKey key = null;
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        for (Object o : pemObjects(privateKey)) {
            if (o instanceof PrivateKeyInfo info) {
                key = keys.getPrivateKey(info);
            } else if (o instanceof PEMKeyPair pair) {
                key = keys.getKeyPair(pair).getPrivate();
            }
            if (key != null) {
                break;
            }
        }
        if (key == null) {
            throw new GeneralSecurityException(privateKey + " holds no unencrypted PEM private key"
                    + " (an encrypted one can be decrypted with: openssl pkey -in KEY -out KEY.plain)");
        }
        return of(key, certificates);
    }

    private static List<Object> pemObjects(Path file) throws IOException {
        List<Object> out = new ArrayList<>();
        // Latin-1 reads any byte: PEM exported from PKCS#12 may carry non-ASCII "Bag Attributes" text.
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1); PEMParser pem = new PEMParser(r)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                out.add(o);
            }
        }
        return out;
    }

    // Algorithm-neutral: a signature made with the key verifies with the certificate's public key.
    private static boolean belongsTo(PrivateKey key, X509Certificate certificate, String algorithm) {
        if (!certificate.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            return false;
        }
        try {
            byte[] probe = "mailsetup profile signing".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] signature = s.sign();
            s.initVerify(certificate.getPublicKey());
            s.update(probe);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The certificate whose key signs. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The profile as DER-encoded CMS SignedData with the profile inside; served with the same content type. */
    public byte[] sign(byte[] profile) {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder(algorithm).build(key), chain.get(0)));
            gen.addCertificates(new JcaCertStore(chain));
            return gen.generate(new CMSProcessableByteArray(profile), true).getEncoded();
        } catch (OperatorCreationException | CMSException | CertificateException | IOException e) {
            // The key and algorithm were checked when the signer was made; failing now is a bug, not input.
            throw new IllegalStateException("signing the profile failed", e);
        }
    }
}
