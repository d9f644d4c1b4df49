package dev.drawbridge.source;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.function.Consumer;

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

    private void assertSeen(String change, Consumer<Path> edit) {
        edit.accept(slot);
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
        assertSeen("content of another size", dir -> write(dir.resolve("app/base/deployment.yaml"), "kind: Deployment # edited\n"));
    }

    @Test
    void aTouchedFileIsSeen() {
        assertSeen("modification time", dir -> touch(dir.resolve("app/kustomization.yaml")));
    }

    @Test
    void anExecutableBitIsSeen() {
        assertSeen("executable bit", dir -> chmod(dir.resolve("run.sh"), "rw-r--r--"));
    }

    @Test
    void anAddedFileIsSeen() {
        assertSeen("added file", dir -> write(dir.resolve("app/base/extra.yaml"), "kind: ConfigMap\n"));
    }

    @Test
    void aRemovedFileIsSeen() {
        assertSeen("removed file", dir -> delete(dir.resolve("app/base/deployment.yaml")));
    }

    @Test
    void aFileReplacedByALinkIsSeen() {
        assertSeen("file replaced by a link", dir -> {
            delete(dir.resolve("run.sh"));
            try {
                Files.createSymbolicLink(dir.resolve("run.sh"), Path.of("/etc/hostname"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void chmod(Path file, String permissions) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
