package org.mailsetup;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of {@link EmailAddress#parse}: nothing but {@link InvalidEmailException} may
 * escape, and what is accepted stays within the RFC 5321 lengths and parses again to itself. A plain
 * test run replays the inputs in {@code src/test/resources/org/mailsetup/EmailAddressFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes (CONTRIBUTING.md).
 */
class EmailAddressFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void parseThrowsOnlyTheDocumentedException(FuzzedDataProvider data) {
        try {
            EmailAddress a = EmailAddress.parse(data.consumeRemainingAsString());
            if (a.address().length() > EmailAddress.MAX_ADDRESS_OCTETS || !EmailAddress.parse(a.address()).equals(a)) {
                throw new AssertionError("accepted, but not as an address: " + a.address());
            }
        } catch (InvalidEmailException expected) {
            // the documented refusal
        }
    }
}
