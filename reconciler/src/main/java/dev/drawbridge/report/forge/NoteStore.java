package dev.drawbridge.report.forge;

import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * Where Git notes are kept: {@code dev.drawbridge.source.GitNotes#update} fits it as a method reference
 * ({@code gitNotes::update}), so this package needs no JGit and no dependency on {@code source}.
 */
@FunctionalInterface
public interface NoteStore {

    /**
     * Replaces the note on the commit with {@code edit} applied to the current note (null when there is
     * none), and publishes it. {@code edit} may run more than once when someone else wrote a note meanwhile.
     */
    void update(String sha, UnaryOperator<String> edit) throws IOException;
}
