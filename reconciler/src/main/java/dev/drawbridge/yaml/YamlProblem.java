package dev.drawbridge.yaml;

/**
 * One problem of a YAML file, printed as {@code FILE:LINE: PATH: message}, e.g.
 * {@code policies/production.yaml:14: spec.scan.maxAge: invalid duration "7 days" (expected e.g. 30s, 15m, 12h, 7d)}.
 *
 * @param file    the file as shown to the user
 * @param line    1-based line, 0 when unknown
 * @param path    the key path such as {@code environments[1].prune}; empty for the document itself
 * @param message what is wrong, for a human
 */
public record YamlProblem(String file, int line, String path, String message) {

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line);
        }
        b.append(": ");
        if (path != null && !path.isEmpty()) {
            b.append(path).append(": ");
        }
        return b.append(message).toString();
    }
}
