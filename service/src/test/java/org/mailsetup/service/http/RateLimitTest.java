package org.mailsetup.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void parsesRatesPerSecondMinuteAndHour() {
        assertThat(RateLimit.parse("60/min", 20)).isEqualTo(new RateLimit(60, Duration.ofMinutes(1), 20));
        assertThat(RateLimit.parse(" 5 / s ", 1)).isEqualTo(new RateLimit(5, Duration.ofSeconds(1), 1));
        assertThat(RateLimit.parse("1000/HOUR", 50)).isEqualTo(new RateLimit(1000, Duration.ofHours(1), 50));
    }

    @Test
    void refusesOtherSyntax() {
        assertThatThrownBy(() -> RateLimit.parse("60", 20)).hasMessageContaining("60/min");
        assertThatThrownBy(() -> RateLimit.parse("0/min", 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.parse("10/min", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.parse("-1/min", 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void limiterAdmitsTheBurstThenRefusesPerClient() {
        ClientLimiter limiter = new ClientLimiter(new RateLimit(60, Duration.ofMinutes(1), 2), 0);
        assertThat(limiter.tryAcquire("10.0.0.1")).isInstanceOf(ClientLimiter.Permit.class);
        assertThat(limiter.tryAcquire("10.0.0.1")).isInstanceOf(ClientLimiter.Permit.class);
        ClientLimiter.Decision third = limiter.tryAcquire("10.0.0.1");
        assertThat(third).isInstanceOfSatisfying(ClientLimiter.Refused.class, r -> {
            assertThat(r.kind()).isEqualTo("rate");
            assertThat(r.retryAfterSeconds()).isEqualTo(1);
        });
        // Another client has its own bucket.
        assertThat(limiter.tryAcquire("10.0.0.2")).isInstanceOf(ClientLimiter.Permit.class);
    }

    @Test
    void inFlightCapFreesSlotsOnRelease() {
        ClientLimiter limiter = new ClientLimiter(null, 2);
        ClientLimiter.Permit a = (ClientLimiter.Permit) limiter.tryAcquire("c");
        limiter.tryAcquire("c");
        assertThat(limiter.tryAcquire("c")).isInstanceOfSatisfying(ClientLimiter.Refused.class,
                r -> assertThat(r.kind()).isEqualTo("in-flight"));
        a.release();
        a.release(); // a second release must not free a second slot
        assertThat(limiter.tryAcquire("c")).isInstanceOf(ClientLimiter.Permit.class);
        assertThat(limiter.tryAcquire("c")).isInstanceOf(ClientLimiter.Refused.class);
    }
}
