package org.mailsetup.testkit;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/** One HTTP/1.1 request to a lab server over TLS validated against the test CA, for a host name of its certificate. */
final class LabHttps {

    private LabHttps() {
    }

    /** The whole answer, head and body; {@code headers} end each line with CRLF; {@code body} may be null. */
    static String exchange(String address, String host, String requestLine, String headers, String body) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {E2eServers.trustManager()}, null);
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(address, 443)) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.setSoTimeout(10_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = requestLine + "\r\nHost: " + host + "\r\n" + headers
                    + (body == null ? "" : "Content-Type: application/xml\r\n")
                    + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            s.getInputStream().transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
