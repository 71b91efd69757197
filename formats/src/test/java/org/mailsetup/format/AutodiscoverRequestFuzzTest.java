package org.mailsetup.format;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the reader of Autodiscover requests (what the service's POST endpoint
 * parses), and of the error answer that echoes what it read: it must stay well-formed XML.
 */
class AutodiscoverRequestFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void parseRequestThrowsOnlyInvalidRequest(byte[] body) throws Exception {
        String echoed;
        try {
            echoed = Autodiscover.parseRequest(body).emailAddress();
        } catch (Autodiscover.InvalidRequestException e) {
            echoed = e.getMessage();
        }
        AutodiscoverTest.dom(Autodiscover.errorResponse(Autodiscover.ERROR_INVALID_REQUEST, echoed));
    }
}
