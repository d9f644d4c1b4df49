package dev.drawbridge.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** serve's work directory dies with it; what is owed is kept in the state directory ({@code --state-dir}) when there is one. */
class WorkDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void whatIsOwedOutlivesTheServerInItsStateDirectoryAndOnlyThere() throws Exception {
        Path state = dir.resolve("state");
        WorkDirectory withState = new WorkDirectory(state);
        Files.writeString(withState.owed().resolve("owed.json"), "{}");
        withState.close();

        assertThat(withState.owed()).isEqualTo(state);
        assertThat(state.resolve("owed.json")).exists();
        assertThat(withState.path()).doesNotExist();

        WorkDirectory without = new WorkDirectory(null);
        assertThat(without.owed()).isEqualTo(without.path());
        without.close();
        assertThat(without.path()).doesNotExist();
    }
}
