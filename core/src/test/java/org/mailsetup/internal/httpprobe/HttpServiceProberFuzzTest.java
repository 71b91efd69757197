package org.mailsetup.internal.httpprobe;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.mailsetup.Service;
import org.mailsetup.ServiceProbeReport;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.http.HttpFetcher;
import org.mailsetup.internal.http.HttpResult;

/** Coverage-guided fuzzing of what a DAV or JMAP endpoint answers: always a report, never an exception. */
class HttpServiceProberFuzzTest {

    private static final HttpResult.Tls TLS = new HttpResult.Tls("TLSv1.3", "TLS_AES_128_GCM_SHA256", "CN=x", "CN=ca",
            "2030-01-01T00:00:00Z");

    @FuzzTest(maxDuration = "2m")
    void anyAnswerGivesAReport(FuzzedDataProvider data) {
        int status = data.consumeInt(100, 599);
        String dav = data.consumeString(300);
        String challenge = data.consumeString(300);
        byte[] body = data.consumeRemainingAsBytes();
        HttpFetcher http = (request, deadline) -> new HttpResult(request.url(), status, "application/json", body,
                List.of(request.url()), true, Map.of("dav", List.of(dav), "www-authenticate", List.of(challenge)),
                "192.0.2.1", TLS);
        HttpServiceProber prober = new HttpServiceProber(http);
        for (Service s : List.of(Service.CONTACTS, Service.CALENDARS, Service.JMAP)) {
            ServiceProbeReport r = prober.probe(s, "https://dav.example.org/", Deadline.after(Duration.ofSeconds(5)));
            assertThat(r.ok() || r.failure() != null).isTrue();
            assertThat(r.capabilities().size()).isLessThanOrEqualTo(32);
        }
    }
}
