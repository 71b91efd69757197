package org.mailsetup.service.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mailsetup.EmailAddress;
import org.mailsetup.LookupOptions;
import org.mailsetup.Service;

/** Shared results are kept apart per set of services, so a mail-only answer never stands in for a fuller one. */
class KeysTest {

    private static final EmailAddress ANN = EmailAddress.parse("ann@example.org");
    private static final LookupOptions MAIL = new LookupOptions(Duration.ofSeconds(6), true);

    @Test
    void eachSetOfServicesHasItsOwnKeyInAnyOrder() {
        String mail = Keys.result(ANN, MAIL);
        String some = Keys.result(ANN, MAIL.withServices(Service.JMAP, Service.CONTACTS));

        assertThat(mail).startsWith(Keys.PREFIX + "result:verified:6000:").doesNotContain("contacts");
        assertThat(some).isNotEqualTo(mail).contains(":contacts,jmap:")
                .isEqualTo(Keys.result(ANN, MAIL.withServices(Service.CONTACTS, Service.JMAP, Service.MAIL)));
        assertThat(Keys.lock(ANN, MAIL.withServices(Service.CALENDARS))).isNotEqualTo(Keys.lock(ANN, MAIL));
    }
}
