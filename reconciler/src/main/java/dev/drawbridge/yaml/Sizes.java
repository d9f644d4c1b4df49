package dev.drawbridge.yaml;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as Kubernetes writes them: plain bytes or a binary suffix, {@code 512Ki}, {@code 64Mi}, {@code 1Gi}. */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})(Ki|Mi|Gi)?");

    private Sizes() {
    }

    public static long parse(String input) {
        Matcher m = input == null ? null : SIZE.matcher(input);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("invalid size \"" + (input == null ? "" : input)
                    + "\" (expected bytes or e.g. 512Ki, 64Mi, 1Gi)");
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2);
        long factor = unit == null ? 1 : switch (unit) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            default -> 1L << 30;
        };
        try {
            return Math.multiplyExact(value, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("invalid size \"" + input + "\": too large");
        }
    }

    /** The largest exact binary unit: {@code 64Mi}, {@code 1500}. */
    public static String format(long bytes) {
        if (bytes > 0 && bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + "Gi";
        }
        if (bytes > 0 && bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + "Mi";
        }
        if (bytes > 0 && bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + "Ki";
        }
        return Long.toString(bytes);
    }
}
