package org.mailsetup.internal.probe;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/** A throw-away CA and server certificates, made in-process for one test class. */
public final class TestPki {

    private final HeldCertificate ca;

    public TestPki() {
        this("mailsetup test CA");
    }

    public TestPki(String caName) {
        ca = new HeldCertificate.Builder().certificateAuthority(0).commonName(caName).build();
    }

    public HeldCertificate ca() {
        return ca;
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    /** A leaf certificate issued by this CA for the given DNS names (the first is also the CN). */
    public HeldCertificate server(String... names) {
        HeldCertificate.Builder b = new HeldCertificate.Builder().commonName(names[0]).signedBy(ca);
        for (String n : names) {
            b.addSubjectAlternativeName(n);
        }
        return b.build();
    }

    /** A certificate that vouches for itself only. */
    public static HeldCertificate selfSigned(String name) {
        return new HeldCertificate.Builder().commonName(name).addSubjectAlternativeName(name).build();
    }

    /** Server-side TLS with this certificate, the CA certificate sent along as the chain. */
    public SSLContext serverContext(HeldCertificate cert) {
        return new HandshakeCertificates.Builder().heldCertificate(cert, ca.certificate()).build().sslContext();
    }

    public static SSLContext selfSignedContext(HeldCertificate cert) {
        return new HandshakeCertificates.Builder().heldCertificate(cert).build().sslContext();
    }

    /** Trusts this CA only, like a JVM trust store with one anchor. */
    public X509TrustManager trustManager() {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("test-ca", ca.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
