package org.mailsetup.internal.probe;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Wraps the real trust decision for one connection and remembers the server's chain and, when the
 * chain is refused, why in words: a failed probe should still show whose certificate it was.
 */
final class RecordingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;
    private final String host;
    private volatile X509Certificate[] chain;
    private volatile String failure;

    RecordingTrustManager(X509ExtendedTrustManager delegate, String host) {
        this.delegate = delegate;
        this.host = host;
    }

    /**
     * The JSSE checks the host name only inside an {@link X509ExtendedTrustManager}; once we wrap a
     * plain {@link X509TrustManager} it would no longer do so. Rebuild a PKIX one over the same anchors.
     */
    static X509ExtendedTrustManager extended(X509TrustManager trust) {
        if (trust instanceof X509ExtendedTrustManager e) {
            return e;
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate ca : trust.getAcceptedIssuers()) {
                ks.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager e) {
                    return e;
                }
            }
            throw new IllegalStateException("the PKIX TrustManagerFactory returned no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a trust manager from the given CAs", e);
        }
    }

    /** The chain the server presented, leaf first, or null if the handshake never got that far. */
    X509Certificate[] chain() {
        X509Certificate[] c = chain;
        return c == null ? null : c.clone();
    }

    /** Why the chain was refused, or null. */
    String failure() {
        return failure;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        this.chain = chain.clone();
        try {
            delegate.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            failure = explain(chain, authType, e);
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        this.chain = chain.clone();
        try {
            delegate.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            failure = explain(chain, authType, e);
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        // Only reached when someone bypasses the SSLSocket path; without a socket there is no host name
        // check, so refuse rather than accept silently.
        throw new CertificateException("server certificates are only checked with a socket (host name check)");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a probe is never a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a probe is never a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a probe is never a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    /** Tells a chain nobody vouches for apart from a good chain issued for another name. */
    private String explain(X509Certificate[] chain, String authType, CertificateException e) {
        try {
            // Same anchors, no host name check: if this passes, the name was the problem.
            delegate.checkServerTrusted(chain, authType);
        } catch (CertificateException pkix) {
            return "certificate not trusted (PKIX path): " + pkixReason(chain, pkix);
        }
        // JSSE's endpoint check says "No subject alternative DNS name matching ... found" and the like.
        if (String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("name")) {
            List<String> names = dnsNames(chain[0]);
            return "host name mismatch: the certificate is for " + (names.isEmpty()
                    ? chain[0].getSubjectX500Principal().getName() : String.join(", ", names))
                    + ", not for " + host;
        }
        return "certificate rejected: " + e.getMessage();
    }

    private static String pkixReason(X509Certificate[] chain, CertificateException e) {
        X509Certificate leaf = chain[0];
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException x) {
            return "certificate expired on " + leaf.getNotAfter().toInstant();
        } catch (CertificateNotYetValidException x) {
            return "certificate not valid before " + leaf.getNotBefore().toInstant();
        }
        if (chain.length == 1 && leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
            return "self-signed certificate";
        }
        String issuer = leaf.getIssuerX500Principal().getName();
        String msg = rootMessage(e);
        if (msg.contains("unable to find valid certification path")) {
            return "no chain to a trusted CA (issuer " + issuer + ")";
        }
        // E.g. an issuer that has a trusted CA's name but not its key: "Signature does not match."
        return "chain does not validate (issuer " + issuer + "): " + msg;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    static List<String> dnsNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    // type 2 = dNSName, 7 = iPAddress (RFC 5280 GeneralName)
                    if ((Integer) san.get(0) == 2 || (Integer) san.get(0) == 7) {
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException ignored) {
            // no readable names: the message falls back to the subject
        }
        return out;
    }
}
