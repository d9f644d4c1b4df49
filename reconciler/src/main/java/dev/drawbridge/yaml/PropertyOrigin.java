package dev.drawbridge.yaml;

/**
 * Where a node came from when it was not read from the document itself but set by a property, such as
 * the Spring property {@code drawbridge.git.url} given on the command line or as the environment variable
 * {@code DRAWBRIDGE_GIT_URL}. A problem about such a node names the property's source instead of the file,
 * and its full name ({@code drawbridge.environments[1].intervall}) instead of the path in the document.
 * The keys a property brings match relaxed: case, {@code -} and {@code _} do not count
 * ({@code promotefrom} from {@code DRAWBRIDGE_ENVIRONMENTS_0_PROMOTEFROM} is {@code promote-from}).
 *
 * @param source    what set it, for a human: {@code command line}, {@code environment variable DRAWBRIDGE_GIT_URL},
 *                  or the file of a property file
 * @param line      1-based line within {@code source} when it is a file, else 0
 * @param prefix    the prefix of the properties' names, such as {@code drawbridge.}
 * @param sensitive the property's name speaks of a password, token or secret: its value is never shown
 */
public record PropertyOrigin(String source, int line, String prefix, boolean sensitive) {

    /** The full name of the property at {@code path} (a path in the document, possibly empty). */
    public String name(String path) {
        if (path == null || path.isEmpty()) {
            return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
        }
        return prefix + path;
    }

    /** {@code source} with its line, as in a problem: {@code application.yaml:12}. */
    public String describe() {
        return line > 0 ? source + ":" + line : source;
    }
}
