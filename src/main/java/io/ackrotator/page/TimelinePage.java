package io.ackrotator.page;

import java.time.Instant;
import java.util.List;

/**
 * Everything a timeline page shows: the timeline, notes, and a table with a row per cluster. The template
 * ({@code templates/timeline.html}) renders and escapes it.
 */
public record TimelinePage(String title, String legend, Instant generatedAt, ExpiryTimeline timeline,
        List<String> notes, List<String> headers, List<TableRow> rows) {

    public record TableRow(String clusterId, List<Cell> cells) {
    }

    /** A table cell; {@code tone} (a state or action, or null) colours it. */
    public record Cell(String text, String tone) {

        public static Cell of(Object value) {
            return new Cell(value == null ? "-" : value.toString(), null);
        }

        public static Cell toned(String value) {
            return new Cell(value == null ? "-" : value, value);
        }
    }
}
