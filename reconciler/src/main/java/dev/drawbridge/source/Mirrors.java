package dev.drawbridge.source;

import dev.drawbridge.hash.Sha256;
import dev.drawbridge.redact.Redactor;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a remote's objects are kept: in a private bare mirror per remote under the work directory
 * ({@code repos/<hash of the URL without userinfo>}), or, for a repository on this machine, in that
 * repository itself, read in place. A mirror holds only the refs that were fetched, under their own names.
 */
final class Mirrors {

    private final boolean readLocalInPlace;

    /** @param readLocalInPlace read a repository on this machine in place (see {@link #localRepository}) */
    Mirrors(boolean readLocalInPlace) {
        this.readLocalInPlace = readLocalInPlace;
    }

    /** The repository on this machine that {@code remote} names, when it is read in place rather than mirrored. */
    Optional<Path> inPlace(GitRemote remote) {
        return readLocalInPlace ? localRepository(remote) : Optional.empty();
    }

    /** Where the objects of {@code remote} are read: the repository itself when it is read in place, else the mirror. */
    Repository open(GitRemote remote, Path workDir) throws IOException {
        Optional<Path> local = inPlace(remote);
        return local.isPresent() ? openLocal(local.get()) : openMirror(mirrorDir(remote, workDir));
    }

    /**
     * A remote that is a repository on this machine ({@code file://} URL or absolute path) is read in place,
     * read-only, like {@code git clone --local}: no transport, no copy of its objects, only the tree at the
     * resolved commit is written to the private work directory. Its work tree is never read.
     */
    static Optional<Path> localRepository(GitRemote remote) {
        String url = remote.url();
        Path path;
        try {
            if (url.startsWith("file://")) {
                path = Path.of(java.net.URI.create(url));
            } else if (url.startsWith("/")) {
                path = Path.of(url);
            } else {
                return Optional.empty();
            }
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
        if (Files.isRegularFile(path.resolve(".git/HEAD"))) {
            return Optional.of(path.resolve(".git"));
        }
        if (Files.isRegularFile(path.resolve("HEAD")) && Files.isDirectory(path.resolve("objects"))) {
            return Optional.of(path);
        }
        return Optional.empty(); // not a repository: the transport gives the usual clear error
    }

    static Repository openLocal(Path gitDir) throws IOException {
        return new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
    }

    static Path mirrorDir(GitRemote remote, Path workDir) {
        String withoutUserinfo = Redactor.stripUserinfo(remote.url());
        return workDir.resolve("repos").resolve(shortHash(withoutUserinfo));
    }

    /** The first 16 hex digits of the SHA-256 of {@code name}: a directory name for it. */
    static String shortHash(String name) {
        return Sha256.hex(name).substring(0, 16);
    }

    static Repository openMirror(Path dir) throws IOException {
        Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        if (!Files.exists(dir.resolve("HEAD"))) {
            TreeFiles.createPrivateDirectories(dir.getParent());
            repo.create(true);
        }
        return repo;
    }
}
