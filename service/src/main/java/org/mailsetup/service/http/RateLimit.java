package org.mailsetup.service.http;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A token bucket: {@code requests} per {@code period} on average, with bursts of up to {@code burst}.
 * Written {@code 60/min}, {@code 5/s} or {@code 1000/h}.
 */
public record RateLimit(long requests, Duration period, long burst) {

    private static final Pattern SYNTAX = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(s|sec|second|m|min|minute|h|hour)\\s*");

    public RateLimit {
        if (requests < 1 || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs at least 1 request and a burst of at least 1");
        }
    }

    /** Parses {@code N/min} (or {@code /s}, {@code /h}). */
    public static RateLimit parse(String text, long burst) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a rate limit (try 60/min, 5/s or 1000/h)");
        }
        Duration period = switch (m.group(2).charAt(0)) {
            case 's' -> Duration.ofSeconds(1);
            case 'm' -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        return new RateLimit(Long.parseLong(m.group(1)), period, burst);
    }

    @Override
    public String toString() {
        String unit = period.equals(Duration.ofSeconds(1)) ? "s" : period.equals(Duration.ofMinutes(1)) ? "min"
                : period.equals(Duration.ofHours(1)) ? "h" : period.toString();
        return requests + "/" + unit + ", burst " + burst;
    }
}
