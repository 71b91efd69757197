package org.mailsetup.internal.source.autodiscover;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.deser.FromXmlParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.mailsetup.config.SafeXml;

/** The Outlook "POX" Autodiscover 2006 documents, as Jackson binds them (element names are case-sensitive). */
final class PoxXml {

    static final String REQUEST_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    static final String RESPONSE_SCHEMA = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    private PoxXml() {
    }

    /** The request body for this address, serialised by Jackson (no string templates: the address is data). */
    static byte[] request(String emailAddress) {
        RequestDoc doc = new RequestDoc();
        doc.request = new RequestBody();
        doc.request.emailAddress = emailAddress;
        doc.request.acceptableResponseSchema = RESPONSE_SCHEMA;
        try {
            return SafeXml.mapper().writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the autodiscover request", e);
        }
    }

    /** Parses a response, refusing anything whose root element is not {@code <Autodiscover>}. */
    static Response read(byte[] body) throws IOException {
        Response r = SafeXml.read(body, Response.class);
        String root;
        try (var parser = (FromXmlParser) SafeXml.mapper().createParser(body)) {
            root = parser.getStaxReader().getLocalName();
        }
        if (!"Autodiscover".equals(root)) {
            throw new IOException("root element is <" + root + ">, not <Autodiscover>");
        }
        return r == null ? new Response() : r;
    }

    @JacksonXmlRootElement(localName = "Autodiscover", namespace = REQUEST_NS)
    static final class RequestDoc {
        @JacksonXmlProperty(localName = "Request", namespace = REQUEST_NS)
        public RequestBody request;
    }

    static final class RequestBody {
        @JacksonXmlProperty(localName = "EMailAddress", namespace = REQUEST_NS)
        public String emailAddress;
        @JacksonXmlProperty(localName = "AcceptableResponseSchema", namespace = REQUEST_NS)
        public String acceptableResponseSchema;
    }

    /** The {@code <Autodiscover>} root of a response. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Response {
        @JsonProperty("Response")
        public ResponseBody response;
        @JsonProperty("Error")
        public ErrorXml error;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ResponseBody {
        @JsonProperty("Account")
        public Account account;
        @JsonProperty("Error")
        public ErrorXml error;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ErrorXml {
        @JsonProperty("ErrorCode")
        public String errorCode;
        @JsonProperty("Message")
        public String message;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Account {
        @JsonProperty("AccountType")
        public String accountType;
        @JsonProperty("Action")
        public String action;
        @JsonProperty("RedirectAddr")
        public String redirectAddr;
        @JsonProperty("RedirectUrl")
        public String redirectUrl;
        final List<ProtocolXml> protocols = new ArrayList<>();

        // <Protocol> elements need not be adjacent; Jackson delivers each run separately.
        @JsonProperty("Protocol")
        @JacksonXmlElementWrapper(useWrapping = false)
        public void addProtocols(List<ProtocolXml> more) {
            if (more != null) {
                more.stream().filter(p -> p != null).forEach(protocols::add);
            }
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ProtocolXml {
        @JsonProperty("Type")
        public String type;
        @JsonProperty("Server")
        public String server;
        @JsonProperty("Port")
        public String port;
        @JsonProperty("LoginName")
        public String loginName;
        @JsonProperty("SPA")
        public String spa;
        @JsonProperty("SSL")
        public String ssl;
        @JsonProperty("Encryption")
        public String encryption;
    }
}
