package dev.drawbridge.yaml;

/** Key paths as shown in problems: {@code spec.scan.maxAge}, {@code environments[1].prune}. */
final class Paths {
    private Paths() {
    }

    static String key(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
