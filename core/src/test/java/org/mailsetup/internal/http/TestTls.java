package org.mailsetup.internal.http;

import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.mailsetup.internal.net.TrustStores;

/** A throw-away test CA that issues server certificates for MockWebServer. */
public final class TestTls {

    private final HeldCertificate ca = new HeldCertificate.Builder()
            .certificateAuthority(0).commonName("mailsetup test CA").ecdsa256().build();

    public HeldCertificate ca() {
        return ca;
    }

    /** The JVM defaults plus this CA, as production code would see an operator-supplied CA. */
    public X509TrustManager clientTrust() {
        return TrustStores.withExtraCas(List.of(ca.certificate()));
    }

    /** A server socket factory presenting a certificate for these host names, issued by this CA. */
    public SSLSocketFactory serverFor(String... hostNames) {
        HeldCertificate.Builder b = new HeldCertificate.Builder().commonName(hostNames[0]).ecdsa256().signedBy(ca);
        for (String h : hostNames) {
            b.addSubjectAlternativeName(h);
        }
        HeldCertificate server = b.build();
        return new HandshakeCertificates.Builder().heldCertificate(server, ca.certificate()).build().sslSocketFactory();
    }

    /** A server socket factory presenting a self-signed certificate no client trusts. */
    public static SSLSocketFactory selfSigned(String hostName) {
        HeldCertificate self = new HeldCertificate.Builder().commonName(hostName).addSubjectAlternativeName(hostName)
                .ecdsa256().build();
        return new HandshakeCertificates.Builder().heldCertificate(self).build().sslSocketFactory();
    }
}
