package dev.drawbridge.source;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The check of a slot's files: one stat per path, each compared with what the marker was written from. */
class SlotMarkerTest {

    @TempDir
    Path work;
    Path slot;
    Path marker;
    SlotMarker.Held held;

    @BeforeEach
    void writeSlot() throws Exception {
        slot = Files.createDirectories(work.resolve("slot"));
        Files.createDirectories(slot.resolve("app/base"));
        Files.writeString(slot.resolve("app/kustomization.yaml"), "resources: [base]\n");
        Files.writeString(slot.resolve("app/base/deployment.yaml"), "kind: Deployment\n");
        Files.writeString(slot.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(slot.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(slot.resolve("app/link.yaml"), Path.of("kustomization.yaml"));
        marker = work.resolve("slot.sha");
        held = SlotMarker.write(marker, slot, "a".repeat(40));
    }

    /** A change made to the slot's files behind Drawbridge's back. */
    @FunctionalInterface
    private interface Edit {
        void apply(Path slot) throws IOException;
    }

    private void assertSeen(String change, Edit edit) throws IOException {
        edit.apply(slot);
        assertThat(SlotMarker.matches(slot, held)).as(change).isFalse();
        assertThat(SlotMarker.held(marker, slot)).as(change + ", read from the marker").isNull();
    }

    @Test
    void anUntouchedSlotMatchesAndItsMarkerReadsBackAsWhatWasWritten() {
        assertThat(SlotMarker.matches(slot, held)).isTrue();
        assertThat(held.stats()).containsOnlyKeys("", "app", "app/base", "app/kustomization.yaml",
                "app/base/deployment.yaml", "app/link.yaml", "run.sh");
        assertThat(held.stats().get("run.sh").executable()).isTrue();
        assertThat(held.stats().get("app/link.yaml").link()).isTrue();
        SlotMarker.Held read = SlotMarker.held(marker, slot);
        assertThat(read).isNotNull();
        assertThat(read.fingerprint()).isEqualTo(held.fingerprint());
        assertThat(read.entries()).isEqualTo(held.entries());
    }

    @Test
    void aContentOfAnotherSizeIsSeen() throws Exception {
        assertSeen("content of another size", dir -> Files.writeString(dir.resolve("app/base/deployment.yaml"),
                "kind: Deployment # edited\n"));
    }

    @Test
    void aTouchedFileIsSeen() throws Exception {
        assertSeen("modification time", dir -> Files.setLastModifiedTime(dir.resolve("app/kustomization.yaml"),
                FileTime.from(Instant.now().plusSeconds(60))));
    }

    @Test
    void anExecutableBitIsSeen() throws Exception {
        assertSeen("executable bit", dir -> Files.setPosixFilePermissions(dir.resolve("run.sh"),
                PosixFilePermissions.fromString("rw-r--r--")));
    }

    @Test
    void anAddedFileIsSeen() throws Exception {
        assertSeen("added file", dir -> Files.writeString(dir.resolve("app/base/extra.yaml"), "kind: ConfigMap\n"));
    }

    @Test
    void aRemovedFileIsSeen() throws Exception {
        assertSeen("removed file", dir -> Files.delete(dir.resolve("app/base/deployment.yaml")));
    }

    @Test
    void aFileReplacedByALinkIsSeen() throws Exception {
        assertSeen("file replaced by a link", dir -> {
            Files.delete(dir.resolve("run.sh"));
            Files.createSymbolicLink(dir.resolve("run.sh"), Path.of("/etc/hostname"));
        });
    }
}
