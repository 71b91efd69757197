package org.mailsetup;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.mailsetup.ProbeReport.FailureKind;

/**
 * Evidence from one unauthenticated HTTPS exchange with a CardDAV, CalDAV or JMAP endpoint: what it
 * answered and how its TLS looked. No credentials are ever sent.
 *
 * @param ok                 the endpoint answered as the service should over a validated TLS channel: a
 *                           {@code DAV:} header with {@code addressbook}/{@code calendar-access}, a {@code 401}
 *                           with a challenge, a {@code 207} multistatus, or a JMAP session object
 * @param rttMs              milliseconds from the request to the last answer read
 * @param address            the IP address actually connected to, or null
 * @param status             the HTTP status of the answer that decided, or 0 when none came
 * @param davClasses         the {@code DAV:} header's compliance classes ({@code 1}, {@code addressbook}, ...)
 * @param authSchemes        the HTTP authentication schemes offered in {@code WWW-Authenticate}
 *                           ({@code Basic}, {@code Bearer}, {@code Digest}, ...)
 * @param finalUrl           the URL that answered, after redirects
 * @param capabilities       the JMAP session's capabilities ({@code urn:ietf:params:jmap:core}, ...)
 * @param failure            why the probe failed, or null
 * @param failureKind        what the failure says about the endpoint, or null when the probe succeeded
 */
@JsonPropertyOrder({"ok", "rttMs", "address", "status", "davClasses", "authSchemes", "finalUrl", "capabilities",
        "tlsVersion", "cipherSuite", "certificateSubject", "certificateIssuer", "certificateExpires",
        "certificateValid", "failure", "failureKind"})
public record ServiceProbeReport(
        boolean ok,
        long rttMs,
        String address,
        int status,
        List<String> davClasses,
        List<String> authSchemes,
        String finalUrl,
        List<String> capabilities,
        String tlsVersion,
        String cipherSuite,
        String certificateSubject,
        String certificateIssuer,
        String certificateExpires,
        boolean certificateValid,
        String failure,
        FailureKind failureKind) {

    public ServiceProbeReport {
        davClasses = davClasses == null ? List.of() : List.copyOf(davClasses);
        authSchemes = authSchemes == null ? List.of() : List.copyOf(authSchemes);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        if (failure != null && failureKind == null) {
            throw new IllegalArgumentException("a failed probe needs a failure kind");
        }
    }
}
