package io.ackrotator.fc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The timeline renders for any cluster ID and in any default locale (SVG numbers always with a dot). */
class ExpiryTimelinePageTest {

    @Test
    void shortIdsAndACommaDecimalLocaleRenderAValidTimeline() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            Instant now = Instant.parse("2026-12-01T00:00:00Z");
            String page = ExpiryTimelinePage.render("t", "l", now, Duration.ofDays(170), List.of(
                    new ExpiryTimelinePage.Row("c1234", "c1234", false, null, now.plus(Duration.ofDays(33)), "due")),
                    List.of(), List.of("cluster"), List.of(List.of("c1234")));

            assertTrue(page.contains(">c1234<"), "a short ID is shown whole");
            assertTrue(!Pattern.compile("x='\\d+,\\d").matcher(page).find(), "no comma decimals in SVG coordinates");
            assertTrue(Pattern.compile("x='\\d+\\.\\d'").matcher(page).find(), page);
        } finally {
            Locale.setDefault(before);
        }
        assertEquals("c12345678901…", ExpiryTimelinePage.abbreviated("c1234567890123"));
        assertEquals("c12345678901", ExpiryTimelinePage.abbreviated("c12345678901"));
    }
}
