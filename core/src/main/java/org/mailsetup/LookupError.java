package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a lookup produced no usable answer. */
public record LookupError(Code code, String message) {

    public enum Code {
        /** The input is not a usable email address. */
        INVALID_EMAIL,
        /** The domain does not exist in DNS (NXDOMAIN). */
        DOMAIN_NOT_FOUND,
        /** The domain exists but receives no mail (null MX, RFC 7505, or no MX and nothing found). */
        NO_MAIL_SERVICE,
        /** No source found settings for the domain. */
        NOT_FOUND,
        /** The deadline passed before any source found settings. */
        TIMEOUT,
        /**
         * The DNS resolver could not answer the questions about the domain (SERVFAIL, REFUSED, or no answer
         * within its time limit), so nothing is known: a temporary failure, worth asking again.
         */
        DNS_FAILURE;

        @JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
