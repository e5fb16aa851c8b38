package io.ackrotator.page;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of an expiry timeline, in whole SVG pixels: a lane per cluster with one or two certificate bars
 * (before and after a sweep, or the current one), year ticks, today and ACK's renewal window. Pure: the template
 * only places what is computed here.
 */
public record ExpiryTimeline(int width, int height, int left, List<Tick> ticks, int nowX, int windowWidth,
        long windowDays, List<Lane> lanes) {

    static final int LEFT = 210;
    static final int SPAN = 760;
    static final int LANE_HEIGHT = 46;
    static final Duration CERTIFICATE_LIFE = Duration.ofDays(3 * 365);

    /**
     * One cluster: its name, its certificate's expiry after (or now) and, when {@code showBefore}, before a sweep
     * (null = none was stored), and the action or state that colours it.
     */
    public record Row(String clusterId, String name, boolean showBefore, Instant before, Instant after,
            String action) {
    }

    public record Tick(int x, int year) {
    }

    public record Lane(String clusterId, String name, String shortId, int y, List<Bar> bars) {
    }

    /** A certificate's lifetime up to its expiry; {@code expires} null = none stored (then only a note is drawn). */
    public record Bar(String clusterId, String kind, int x, int y, int width, String colour, Instant expires,
            LocalDate expiresOn) {

        public int labelX() {
            return x + width + 4;
        }

        public boolean stored() {
            return expires != null;
        }
    }

    public static ExpiryTimeline of(Instant now, Duration renewBefore, List<Row> rows) {
        Instant start = now.minus(Duration.ofDays(60));
        Instant end = now.plus(CERTIFICATE_LIFE).plus(Duration.ofDays(60));
        Scale scale = new Scale(start, end);
        int height = 40 + rows.size() * LANE_HEIGHT + 30;
        List<Tick> ticks = new ArrayList<>();
        for (int year = LocalDate.ofInstant(start, ZoneOffset.UTC).getYear() + 1;
                year <= LocalDate.ofInstant(end, ZoneOffset.UTC).getYear(); year++) {
            ticks.add(new Tick(scale.x(LocalDate.of(year, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC)), year));
        }
        int nowX = scale.x(now);
        List<Lane> lanes = new ArrayList<>();
        int y = 40;
        for (Row row : rows) {
            List<Bar> bars = new ArrayList<>();
            if (row.showBefore()) {
                bars.add(scale.bar(row.clusterId(), "before", row.before(), y + 2, "#9aa5b1"));
            }
            bars.add(scale.bar(row.clusterId(), "after", row.after(), y + 20, colourOf(row.action())));
            lanes.add(new Lane(row.clusterId(), row.name(), abbreviated(row.clusterId()), y, bars));
            y += LANE_HEIGHT;
        }
        return new ExpiryTimeline(LEFT + SPAN + 90, height, LEFT, ticks, nowX, scale.x(now.plus(renewBefore)) - nowX,
                renewBefore.toDays(), lanes);
    }

    public int bottom() {
        return height - 20;
    }

    public int windowHeight() {
        return height - 40;
    }

    static String colourOf(String action) {
        return switch (action) {
            case "rotated", "adopted", "revoked", "ok" -> "#2e9e5b";
            case "due", "revoking" -> "#e0a800";
            case "failed", "expired", "unreadable", "rejected" -> "#d64545";
            default -> "#3b73c4";
        };
    }

    /** A cluster ID short enough for the label column: up to 12 characters, then an ellipsis. */
    static String abbreviated(String clusterId) {
        return clusterId.length() <= 12 ? clusterId : clusterId.substring(0, 12) + "…";
    }

    private record Scale(Instant start, Instant end) {

        int x(Instant at) {
            double fraction = (double) Duration.between(start, at).toSeconds() / Duration.between(start, end)
                    .toSeconds();
            return LEFT + (int) Math.round(Math.max(0, Math.min(1, fraction)) * SPAN);
        }

        Bar bar(String clusterId, String kind, Instant notAfter, int y, String colour) {
            if (notAfter == null) {
                return new Bar(clusterId, kind, LEFT, y, 0, colour, null, null);
            }
            int from = x(notAfter.minus(CERTIFICATE_LIFE));
            int to = x(notAfter);
            return new Bar(clusterId, kind, from, y, Math.max(2, to - from), colour, notAfter,
                    LocalDate.ofInstant(notAfter, ZoneOffset.UTC));
        }
    }
}
