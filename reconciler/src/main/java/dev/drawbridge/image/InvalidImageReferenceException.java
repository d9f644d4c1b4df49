package dev.drawbridge.image;

/** A malformed image reference or digest. Carries the offending input. */
public class InvalidImageReferenceException extends IllegalArgumentException {
    private final String input;
    private final String problem;

    public InvalidImageReferenceException(String input, String problem) {
        super("invalid image reference \"" + input + "\": " + problem);
        this.input = input;
        this.problem = problem;
    }

    public String input() {
        return input;
    }

    public String problem() {
        return problem;
    }
}
