package dev.drawbridge.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart drawn on the server as inline SVG (no script, no request): one point per day, unknown days
 * left out, the latest value marked.
 *
 * @param points  the polyline's points in the {@value #WIDTH} x {@value #HEIGHT} view box ({@code x,y x,y ...});
 *                empty when no day is known
 * @param lastX   the x of the latest known point
 * @param lastY   its y
 * @param latest  the latest known value; -1 when none
 * @param max     the largest known value
 * @param label   what the chart says, for screen readers and as its tooltip
 */
record Sparkline(String points, String lastX, String lastY, int latest, int max, String label) {

    static final int WIDTH = 120;
    static final int HEIGHT = 32;
    private static final double PAD = 3;

    /** A chart of {@code values} (oldest first; negative: unknown). */
    static Sparkline of(int[] values, String what) {
        int max = 0;
        int latest = -1;
        for (int v : values) {
            max = Math.max(max, v);
            if (v >= 0) {
                latest = v;
            }
        }
        List<String> points = new ArrayList<>();
        double step = values.length > 1 ? (WIDTH - 2 * PAD) / (values.length - 1) : 0;
        String lastX = "0";
        String lastY = "0";
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) {
                continue;
            }
            lastX = num(PAD + i * step);
            lastY = num(HEIGHT - PAD - (max == 0 ? 0 : (HEIGHT - 2 * PAD) * values[i] / max));
            points.add(lastX + "," + lastY);
        }
        if (points.size() == 1) { // one known day: a short flat stroke, so it shows
            points.add(0, num(Double.parseDouble(lastX) - step) + "," + lastY);
        }
        String label = latest < 0 ? what + ": not known yet"
                : what + ": " + latest + " now, at most " + max + " in the last " + values.length + " days";
        return new Sparkline(String.join(" ", points), lastX, lastY, latest, max, label);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
