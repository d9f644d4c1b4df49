package dev.drawbridge.render;

/**
 * A render that failed. {@link #getMessage()} is one line, {@code FILE:LINE: problem} where a file is
 * known, so the CLI and the commit status can print it as is. {@link #kind()} says whether the render
 * failed or was refused because the kustomization names content from outside the repository.
 */
public class RenderException extends Exception {

    /** Why the render did not produce objects. */
    public enum Kind {
        /** Kustomize failed, a path is wrong or leaves the checkout, or the YAML is bad. */
        FAILED,
        /** A kustomization names a URL or a Helm chart: content Git did not review; refused before Kustomize runs. */
        REMOTE_REFUSED
    }

    private final Kind kind;
    private final String file;
    private final int line;
    private final String problem;
    private final String stderr;

    public RenderException(String file, int line, String problem, String stderr, Throwable cause) {
        this(Kind.FAILED, file, line, problem, stderr, cause);
    }

    private RenderException(Kind kind, String file, int line, String problem, String stderr, Throwable cause) {
        super(format(file, line, problem), cause);
        this.kind = kind;
        this.file = file;
        this.line = line;
        this.problem = problem;
        this.stderr = stderr;
    }

    public RenderException(String file, int line, String problem) {
        this(file, line, problem, null, null);
    }

    public RenderException(String problem) {
        this(null, 0, problem, null, null);
    }

    /** A kustomization names content from outside the repository (a URL, a Helm chart). */
    public static RenderException remoteRefused(String file, int line, String problem) {
        return new RenderException(Kind.REMOTE_REFUSED, file, line, problem, null, null);
    }

    public Kind kind() {
        return kind;
    }

    private static String format(String file, int line, String problem) {
        String oneLine = problem == null ? "render failed" : problem.replaceAll("\\s*\\R\\s*", " ").strip();
        if (file == null) {
            return oneLine;
        }
        return line > 0 ? file + ":" + line + ": " + oneLine : file + ": " + oneLine;
    }

    /** The file the problem is in, relative to the checkout root where possible; null when unknown. */
    public String file() {
        return file;
    }

    /** 1-based line in {@link #file()}, 0 when unknown. */
    public int line() {
        return line;
    }

    /** The problem without the file and line prefix. */
    public String problem() {
        return problem;
    }

    /** Bounded, trimmed stderr of the Kustomize process, or null when no process failed. */
    public String stderr() {
        return stderr;
    }
}
