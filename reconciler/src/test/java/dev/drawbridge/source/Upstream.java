package dev.drawbridge.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.lib.Ref;

/** A real Git repository that tests commit to and fetch from (over file:// or a git daemon). */
final class Upstream implements AutoCloseable {
    final Path dir;
    final Git git;

    private Upstream(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    static Upstream create(Path dir) throws Exception {
        Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        Upstream upstream = new Upstream(dir, git);
        upstream.write("README.md", "deploy repository\n");
        git.add().addFilepattern(".").call();
        git.commit().setMessage("initial").setSign(false).call();
        return upstream;
    }

    String url() {
        return "file://" + dir.toAbsolutePath();
    }

    /** Switches to {@code branch} (created from main when new), writes the file and commits; returns the sha. */
    String commit(String branch, String path, String content) throws Exception {
        switchTo(branch);
        write(path, content);
        return commitAll("change " + path);
    }

    void switchTo(String branch) throws Exception {
        boolean exists = git.getRepository().exactRef("refs/heads/" + branch) != null;
        git.checkout().setName(branch).setCreateBranch(!exists).setStartPoint(exists ? null : "main").call();
    }

    void write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    void makeExecutable(String path) throws IOException {
        Files.setPosixFilePermissions(dir.resolve(path), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    void symlink(String path, String target) throws IOException {
        Path link = dir.resolve(path);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of(target));
    }

    String commitAll(String message) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setSign(false).call().name();
    }

    /** Rewrites history: the branch drops its last commit and gets a different one. */
    String forcePush(String branch, String path, String content) throws Exception {
        switchTo(branch);
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef("HEAD~1").call();
        write(path, content);
        return commitAll("rewritten " + path);
    }

    void deleteBranch(String branch) throws Exception {
        switchTo("main");
        git.branchDelete().setBranchNames(branch).setForce(true).call();
    }

    void createRef(String name, String sha) throws Exception {
        var update = git.getRepository().updateRef(name);
        update.setNewObjectId(git.getRepository().resolve(sha));
        update.forceUpdate();
    }

    /** Commits a tree holding {@code name/evil.yaml} directly (no work tree would allow it), on {@code branch}. */
    String commitUnsafeTree(String branch, String name) throws Exception {
        var repo = git.getRepository();
        try (var inserter = repo.newObjectInserter()) {
            var blob = inserter.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB, "evil\n".getBytes());
            var inner = new org.eclipse.jgit.lib.TreeFormatter();
            inner.append("evil.yaml", org.eclipse.jgit.lib.FileMode.REGULAR_FILE, blob);
            var innerId = inserter.insert(inner);
            var outer = new org.eclipse.jgit.lib.TreeFormatter();
            outer.append(name, org.eclipse.jgit.lib.FileMode.TREE, innerId);
            var commit = new org.eclipse.jgit.lib.CommitBuilder();
            commit.setTreeId(inserter.insert(outer));
            var who = new org.eclipse.jgit.lib.PersonIdent("test", "test@example.com");
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage("unsafe");
            var id = inserter.insert(commit);
            inserter.flush();
            createRef("refs/heads/" + branch, id.name());
            return id.name();
        }
    }

    Ref ref(String name) throws IOException {
        return git.getRepository().exactRef(name);
    }

    @Override
    public void close() {
        git.close();
    }
}
