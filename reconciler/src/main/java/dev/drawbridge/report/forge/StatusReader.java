package dev.drawbridge.report.forge;

import java.util.Optional;

/** Port: what a forge holds now for one sha and context, so a restarted process posts nothing it posted before. */
@FunctionalInterface
public interface StatusReader {

    /**
     * The newest status of {@code context} on {@code sha}, as the forge names its state ({@code success},
     * {@code failed}, ...), or empty when there is none.
     *
     * @throws ForgeException when the forge could not be asked
     */
    Optional<Current> current(String sha, String context) throws ForgeException;

    /** A status as the forge holds it: its state in the forge's words and its description. */
    record Current(String state, String description) {
        public Current {
            state = state == null ? "" : state;
            description = description == null ? "" : description;
        }
    }
}
