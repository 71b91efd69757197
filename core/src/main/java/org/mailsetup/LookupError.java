package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import org.mailsetup.config.NoClientAccess;

/**
 * Why a lookup produced no usable answer.
 *
 * @param url    for {@link Code#NO_CLIENT_ACCESS}: the provider's page that explains it; else null
 * @param bridge for {@link Code#NO_CLIENT_ACCESS}: a local bridge program's endpoints, to show as they are
 *               (never probed); else empty
 */
public record LookupError(Code code, String message,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String url,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<NoClientAccess.Bridge> bridge) {

    public LookupError {
        bridge = bridge == null ? List.of() : List.copyOf(bridge);
    }

    public LookupError(Code code, String message) {
        this(code, message, null, List.of());
    }

    public enum Code {
        /** The input is not a usable email address. */
        INVALID_EMAIL,
        /** The domain does not exist in DNS (NXDOMAIN). */
        DOMAIN_NOT_FOUND,
        /** The domain exists but receives no mail (null MX, RFC 7505, or no MX and nothing found). */
        NO_MAIL_SERVICE,
        /** The provider gives mail apps no IMAP/POP3/SMTP (or only through a local bridge program). */
        NO_CLIENT_ACCESS,
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
