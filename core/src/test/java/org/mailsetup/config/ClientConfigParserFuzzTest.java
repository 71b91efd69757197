package org.mailsetup.config;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Coverage-guided fuzzing of the config-v1.1 reader: a document is parsed or refused, nothing else. */
class ClientConfigParserFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void parseThrowsOnlyTheDocumentedException(byte[] document) {
        try {
            ClientConfigParser.parse(document);
        } catch (InvalidConfigException expected) {
            // the documented refusal
        }
    }
}
