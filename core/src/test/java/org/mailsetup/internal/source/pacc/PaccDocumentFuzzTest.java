package org.mailsetup.internal.source.pacc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.ArrayList;

/** Coverage-guided fuzzing of the PACC document reader: a document, or an IOException. */
class PaccDocumentFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void parseThrowsOnlyIoException(byte[] document) {
        try {
            PaccSource.parse(document, "https://ua-auto-config.example.org/", new ArrayList<>());
        } catch (IOException expected) {
            // what the source reports as "not a PACC document"
        }
    }
}
