package io.ackrotator.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.page.TimelinePage.Cell;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The timeline template: any cluster ID, any default locale, and every text escaped. */
class TimelinePageTest {

    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void aCommaDecimalLocaleStillRendersPlainSvgNumbers() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            String page = render(List.of(new ExpiryTimeline.Row("c1234", "c1234", false, null,
                    NOW.plus(Duration.ofDays(33)), "due")), List.of(), List.of());

            assertTrue(page.contains(">c1234<"), "a short ID is shown whole");
            assertFalse(Pattern.compile("(x|width)=\"\\d+[,.]").matcher(page).find(), "whole pixels, no decimals");
            assertTrue(Pattern.compile("<rect x=\"\\d+\" y=\"\\d+\" width=\"\\d+\" height=\"12\"").matcher(page)
                    .find(), page);
            assertTrue(page.contains(">2027-01-03<"), "the expiry date, ISO");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void barsSpanTheCertificatesLifeAndTodaySitsInTheScale() {
        ExpiryTimeline timeline = ExpiryTimeline.of(NOW, Duration.ofDays(170), List.of(
                new ExpiryTimeline.Row("a", "a", true, null, NOW.plus(Duration.ofDays(3 * 365)), "rotated"),
                new ExpiryTimeline.Row("b", "b", false, null, NOW.minus(Duration.ofDays(3)), "expired")));

        ExpiryTimeline.Bar missing = timeline.lanes().get(0).bars().get(0);
        ExpiryTimeline.Bar fresh = timeline.lanes().get(0).bars().get(1);
        ExpiryTimeline.Bar expired = timeline.lanes().get(1).bars().get(0);
        assertFalse(missing.stored(), "no certificate before: no bar");
        assertEquals(timeline.nowX(), fresh.x(), 1, "a fresh 3-year certificate starts today");
        assertEquals(ExpiryTimeline.LEFT + ExpiryTimeline.SPAN - fresh.x() - fresh.width(),
                timeline.nowX() - ExpiryTimeline.LEFT, 2, "and ends 60 days before the scale's end");
        assertTrue(expired.x() + expired.width() < timeline.nowX(), "an expired one ends before today");
        assertEquals("#d64545", expired.colour());
        assertEquals(170, timeline.windowDays());
    }

    @Test
    void everyTextIsEscaped() {
        String hostile = "<img src=x onerror=alert(1)>\"'&";
        String page = render(List.of(new ExpiryTimeline.Row(hostile, hostile, true, null, NOW, hostile)),
                List.of(hostile), List.of(new TimelinePage.TableRow(hostile, List.of(Cell.of(hostile),
                        new Cell(hostile, hostile)))));

        assertFalse(page.contains("<img"), page);
        assertFalse(page.contains("\"'&\""), "quotes in attributes are escaped");
        assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"), page);
    }

    @Test
    void longClusterIdsAreAbbreviatedInTheLabelColumn() {
        assertEquals("c12345678901…", ExpiryTimeline.abbreviated("c1234567890123"));
        assertEquals("c12345678901", ExpiryTimeline.abbreviated("c12345678901"));
    }

    private static String render(List<ExpiryTimeline.Row> lanes, List<String> notes,
            List<TimelinePage.TableRow> rows) {
        return StandaloneTemplates.timeline(new TimelinePage("t", "l", NOW, ExpiryTimeline.of(NOW,
                Duration.ofDays(170), lanes), notes, List.of("cluster", "state"), rows));
    }
}
