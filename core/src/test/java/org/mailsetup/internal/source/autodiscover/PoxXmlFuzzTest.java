package org.mailsetup.internal.source.autodiscover;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/** Coverage-guided fuzzing of the reader of Autodiscover (POX) answers: read, or an IOException. */
class PoxXmlFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void readThrowsOnlyIoException(byte[] answer) {
        try {
            PoxXml.read(answer);
        } catch (IOException expected) {
            // what the source reports as "not an Autodiscover answer"
        }
    }
}
