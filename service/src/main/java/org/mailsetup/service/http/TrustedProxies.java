package org.mailsetup.service.http;

import java.util.List;
import org.mailsetup.Cidr;

/**
 * The reverse proxies whose word about the client is taken, and the one header they write it in.
 * Only that header is read: if both were, a client could send the other one itself, past a proxy
 * that neither sets nor strips it, and pick its own rate-limit bucket.
 */
public record TrustedProxies(List<Cidr> networks, Header header) {

    /** The header a proxy names the client in. */
    public enum Header {
        /** {@code X-Forwarded-For}: nginx, HAProxy, most load balancers. */
        X_FORWARDED_FOR("X-Forwarded-For"),
        /** {@code Forwarded} (RFC 7239, {@code for=}). */
        FORWARDED("Forwarded");

        private final String fieldName;

        Header(String fieldName) {
            this.fieldName = fieldName;
        }

        public String fieldName() {
            return fieldName;
        }

        /** The header by its field name, in any letter case. */
        public static Header of(String fieldName) {
            for (Header h : values()) {
                if (h.fieldName.equalsIgnoreCase(fieldName.strip())) {
                    return h;
                }
            }
            throw new IllegalArgumentException("'" + fieldName + "' is not X-Forwarded-For or Forwarded");
        }
    }

    public TrustedProxies {
        networks = List.copyOf(networks);
    }

    /** No proxy is trusted: the client is always the TCP peer. */
    public static TrustedProxies none() {
        return new TrustedProxies(List.of(), Header.X_FORWARDED_FOR);
    }

    @Override
    public String toString() {
        return networks.isEmpty() ? "none" : String.join(" ", networks.stream().map(Cidr::toString).toList())
                + " via " + header.fieldName();
    }
}
