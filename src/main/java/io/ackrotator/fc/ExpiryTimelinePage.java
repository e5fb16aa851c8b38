package io.ackrotator.fc;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page (inline CSS and SVG, nothing fetched): an expiry timeline with one or two bars per
 * cluster (before/after a sweep, or the current certificate), ACK's renewal window, notes and a table. Serves the
 * status page and the demo report.
 */
public final class ExpiryTimelinePage {

    /**
     * One cluster: its name, its certificate's expiry after (or now) and, when {@code showBefore}, before a sweep
     * (null = none was stored), and the action or state that colours it.
     */
    public record Row(String clusterId, String name, boolean showBefore, Instant before, Instant after,
            String action) {
    }

    private ExpiryTimelinePage() {
    }

    public static String render(String title, String legend, Instant now, Duration renewBefore, List<Row> rows,
            List<String> notes, List<String> headers, List<List<String>> table) {
        Instant start = now.minus(Duration.ofDays(60));
        Instant end = now.plus(Duration.ofDays(3 * 365 + 60));
        int left = 210;
        int width = 760;
        int rowHeight = 46;
        int height = 40 + rows.size() * rowHeight + 30;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg width='").append(left + width + 90).append("' height='")
                .append(height).append("' role='img' aria-label='expiry timeline'>");
        for (int year = LocalDate.ofInstant(start, ZoneOffset.UTC).getYear() + 1;
                year <= LocalDate.ofInstant(end, ZoneOffset.UTC).getYear(); year++) {
            Instant tick = LocalDate.of(year, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
            double x = left + x(tick, start, end, width);
            svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='20' x2='%.1f' y2='%d' stroke='#ddd'/>", x, x, height - 20));
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='14' font-size='11' fill='#666' text-anchor='middle'>%d</text>",
                    x, year));
        }
        double nowX = left + x(now, start, end, width);
        double windowX = left + x(now.plus(renewBefore), start, end, width);
        svg.append(String.format(Locale.ROOT, "<rect x='%.1f' y='20' width='%.1f' height='%d' fill='#fff4e0'/>", nowX,
                windowX - nowX, height - 40));
        svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='11' fill='#b36b00'>renewal window (%d days)</text>",
                nowX + 4, height - 6, renewBefore.toDays()));
        svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='20' x2='%.1f' y2='%d' stroke='#c00' stroke-width='2'/>", nowX,
                nowX, height - 20));
        int y = 40;
        for (Row row : rows) {
            svg.append(String.format(Locale.ROOT, "<text x='8' y='%d' font-size='13' font-family='monospace'>%s</text>", y + 14,
                    escape(row.name())));
            svg.append(String.format(Locale.ROOT, "<text x='8' y='%d' font-size='10' fill='#888' font-family='monospace'>%s</text>",
                    y + 28, escape(abbreviated(row.clusterId()))));
            if (row.showBefore()) {
                bar(svg, row.before(), start, end, left, width, y + 2, "#9aa5b1", "before", row.clusterId());
            }
            bar(svg, row.after(), start, end, left, width, y + 20, colourOf(row.action()), "after", row.clusterId());
            y += rowHeight;
        }
        svg.append("</svg>");

        StringBuilder html = new StringBuilder("<table><thead><tr>");
        headers.forEach(header -> html.append("<th>").append(escape(header)).append("</th>"));
        html.append("</tr></thead><tbody>");
        for (int i = 0; i < table.size(); i++) {
            html.append("<tr data-cluster='").append(escape(rows.size() > i ? rows.get(i).clusterId() : ""))
                    .append("'>");
            table.get(i).forEach(cell -> html.append("<td class='").append(escape(cell)).append("'>")
                    .append(escape(cell)).append("</td>"));
            html.append("</tr>");
        }
        html.append("</tbody></table>");
        StringBuilder items = new StringBuilder("<ul>");
        notes.forEach(line -> items.append("<li>").append(escape(line)).append("</li>"));
        items.append("</ul>");

        return "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>" + escape(title) + "</title>"
                + "<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}"
                + "table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ddd;padding:4px 8px;"
                + "font-size:13px;text-align:left;vertical-align:top}th{background:#f5f5f5}.rotated,.adopted,.ok"
                + "{color:#17803d}.failed{color:#c00}.legend span{display:inline-block;width:14px;height:8px;"
                + "margin:0 4px 0 12px}</style></head><body><h1>" + escape(title) + "</h1><p>Generated "
                + now + ". " + escape(legend) + " The red line is now.</p><p class='legend'><span "
                + "style='background:#9aa5b1'></span>before<span style='background:#2e9e5b'></span>renewed / ok"
                + "<span style='background:#3b73c4'></span>unchanged<span style='background:#e0a800'></span>due"
                + "<span style='background:#d64545'></span>failed / expired</p>" + svg + items + html
                + "</body></html>\n";
    }

    private static void bar(StringBuilder svg, Instant notAfter, Instant start, Instant end, int left, int width,
            int y, String colour, String label, String clusterId) {
        if (notAfter == null) {
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' fill='#888'>%s: none stored</text>", left + 4,
                    y + 11, label));
            return;
        }
        double from = left + x(notAfter.minus(Duration.ofDays(3 * 365)), start, end, width);
        double to = left + x(notAfter, start, end, width);
        svg.append(String.format(Locale.ROOT, "<rect x='%.1f' y='%d' width='%.1f' height='12' rx='3' fill='%s' data-cluster='%s' "
                + "data-bar='%s'><title>%s %s expires %s</title></rect>", Math.max(left, from), y,
                Math.max(2, to - Math.max(left, from)), colour, clusterId, label, clusterId, label, notAfter));
        svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='10' fill='#333'>%s</text>", to + 4, y + 10,
                date(notAfter)));
    }

    private static String colourOf(String action) {
        return switch (action) {
            case "rotated", "adopted", "revoked", "ok" -> "#2e9e5b";
            case "due", "revoking" -> "#e0a800";
            case "failed", "expired", "unreadable", "rejected" -> "#d64545";
            default -> "#3b73c4";
        };
    }

    private static double x(Instant at, Instant start, Instant end, int width) {
        double fraction = (double) Duration.between(start, at).toSeconds() / Duration.between(start, end).toSeconds();
        return Math.max(0, Math.min(1, fraction)) * width;
    }

    public static String date(Instant instant) {
        return instant == null ? "-" : LocalDate.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    public static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("'", "&#39;").replace("\"", "&quot;");
    }

    /** A cluster ID short enough for the timeline's label column: up to 12 characters, then an ellipsis. */
    static String abbreviated(String clusterId) {
        return clusterId.length() <= 12 ? clusterId : clusterId.substring(0, 12) + "…";
    }
}
