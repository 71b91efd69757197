package org.mailsetup.internal.net;

import com.google.common.base.Suppliers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trust managers for TLS connections: the JVM's default CAs, optionally plus extra CAs (a private
 * deployment's own CA, or a test CA). The extra CAs are added to one key store together with the
 * defaults, so the result is a single standard PKIX trust manager, not a composite that would hide
 * its accepted issuers from OkHttp's chain cleaning.
 */
public final class TrustStores {

    private TrustStores() {
    }

    /** The JVM's default trust store (cacerts, or whatever {@code javax.net.ssl.trustStore} names). */
    public static X509TrustManager defaults() {
        try {
            return fromKeyStore(null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's default trust store cannot be loaded: " + e.getMessage(), e);
        }
    }

    /**
     * The JVM defaults plus every certificate in a PEM file ({@code -----BEGIN CERTIFICATE-----} blocks).
     *
     * @throws IOException when the file cannot be read or holds no valid certificate, saying which
     */
    public static X509TrustManager withExtraCas(Path pemFile) throws IOException {
        return withExtraCas(readCertificates(pemFile));
    }

    /**
     * The certificates in a PEM file.
     *
     * @throws IOException when the file cannot be read or holds no valid certificate, saying which
     */
    public static List<X509Certificate> readCertificates(Path pemFile) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(pemFile);
        } catch (IOException e) {
            throw new IOException("cannot read CA file " + pemFile + ": " + e, e);
        }
        Collection<? extends java.security.cert.Certificate> certs;
        try {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        } catch (CertificateException e) {
            throw new IOException("CA file " + pemFile + " is not a valid PEM certificate file: " + e.getMessage(), e);
        }
        List<X509Certificate> x509 = new ArrayList<>();
        for (var c : certs) {
            if (c instanceof X509Certificate x) {
                x509.add(x);
            }
        }
        if (x509.isEmpty()) {
            throw new IOException("CA file " + pemFile + " contains no certificate (expected PEM blocks "
                    + "starting with -----BEGIN CERTIFICATE-----)");
        }
        return x509;
    }

    /** The JVM defaults plus the given certificates as trust anchors. */
    public static X509TrustManager withExtraCas(Collection<X509Certificate> extra) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : defaults().getAcceptedIssuers()) {
                ks.setCertificateEntry("jvm-" + i++, c);
            }
            int j = 0;
            for (X509Certificate c : extra) {
                ks.setCertificateEntry("extra-" + j++, c);
            }
            return fromKeyStore(ks);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store with the extra CAs: " + e.getMessage(), e);
        }
    }

    /**
     * A trust manager that builds the real one when it is first asked: reading the JVM's CAs is a
     * noticeable part of a cold start, and a lookup without verification or HTTPS never needs them. The
     * real one must be an {@link X509ExtendedTrustManager} (as the JDK's PKIX one is), so that the host
     * name is still checked.
     */
    public static X509ExtendedTrustManager lazy(Supplier<? extends X509TrustManager> trust) {
        return new Lazy(Suppliers.memoize(() -> {
            X509TrustManager t = trust.get();
            if (t instanceof X509ExtendedTrustManager e) {
                return e;
            }
            throw new IllegalStateException("not an X509ExtendedTrustManager: " + t);
        }));
    }

    private static final class Lazy extends X509ExtendedTrustManager {
        private final Supplier<X509ExtendedTrustManager> trust;

        Lazy(Supplier<X509ExtendedTrustManager> trust) {
            this.trust = trust;
        }

        private X509ExtendedTrustManager trust() throws CertificateException {
            try {
                return trust.get();
            } catch (RuntimeException e) {
                throw new CertificateException("no trust store: " + e.getMessage(), e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            trust().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            trust().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust().checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            trust().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            trust().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trust.get().getAcceptedIssuers();
        }
    }

    private static X509TrustManager fromKeyStore(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager among " + List.of(tmf.getTrustManagers()));
    }
}
