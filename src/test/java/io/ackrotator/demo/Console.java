package io.ackrotator.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Tables for people: aligned columns, colour only on a terminal. */
final class Console {

    private final PrintStream out;
    private final boolean colour;

    Console(PrintStream out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    void heading(String text) {
        out.println();
        out.println(paint("1;36", "== " + text));
    }

    void line(String text) {
        out.println(text);
    }

    String paint(String code, String text) {
        return colour ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }

    /** Colours a cell by what it says: green for good outcomes, yellow for pending, red for failures. */
    String tone(String value) {
        if (value == null) {
            return "";
        }
        if (value.startsWith("failed") || value.equals("expired") || value.equals("stale")) {
            return paint("31", value);
        }
        if (value.equals("due") || value.equals("dry-run") || value.equals("missing")
                || value.equals("not-yet-renewable")) {
            return paint("33", value);
        }
        if (value.equals("ok") || value.equals("rotated") || value.equals("adopted") || value.equals("synced")
                || value.equals("current")) {
            return paint("32", value);
        }
        return value;
    }

    void table(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], visible(row.get(i)).length());
            }
        }
        out.println(paint("1", format(header, widths)));
        StringBuilder rule = new StringBuilder();
        for (int width : widths) {
            rule.append("-".repeat(width)).append("  ");
        }
        out.println(rule.toString().stripTrailing());
        rows.forEach(row -> out.println(format(row, widths)));
    }

    private static String format(List<String> row, int[] widths) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
            String cell = row.get(i) == null ? "" : row.get(i);
            text.append(cell).append(" ".repeat(widths[i] - visible(cell).length() + 2));
        }
        return text.toString().stripTrailing();
    }

    private static String visible(String cell) {
        return cell == null ? "" : cell.replaceAll("\u001b\\[[0-9;]*m", "");
    }
}
