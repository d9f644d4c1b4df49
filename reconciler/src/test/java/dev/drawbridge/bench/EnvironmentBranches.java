package dev.drawbridge.bench;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A bare deploy repository for the scale and soak benchmarks, written with Git's plumbing (no work tree), so
 * that a thousand branches take seconds: each commit on a branch replaces the given files of its head.
 * Reached by a {@code file://} URL, which serve reads in place.
 */
final class EnvironmentBranches implements AutoCloseable {

    private static final PersonIdent AUTHOR = new PersonIdent("Platform Team", "platform@example.com");

    private final Repository repo;
    private final Path dir;

    private EnvironmentBranches(Repository repo, Path dir) {
        this.repo = repo;
        this.dir = dir;
    }

    static EnvironmentBranches create(Path dir) throws Exception {
        Files.createDirectories(dir);
        Git git = Git.init().setBare(true).setGitDir(dir.toFile()).setInitialBranch("main").call();
        return new EnvironmentBranches(git.getRepository(), dir); // closing the repository closes it all
    }

    String url() {
        return dir.toUri().toString();
    }

    /** The head of {@code branch}. */
    String head(String branch) {
        try {
            ObjectId id = repo.resolve(Constants.R_HEADS + branch);
            return id == null ? null : id.name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A commit on {@code branch} (created when absent) whose tree is its head's with {@code files} (path to
     * content) written over it. Returns the commit's sha.
     */
    synchronized String commit(String branch, Map<String, String> files, String message) {
        try (ObjectInserter inserter = repo.newObjectInserter(); RevWalk walk = new RevWalk(repo)) {
            ObjectId head = repo.resolve(Constants.R_HEADS + branch);
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            if (head != null) {
                try (TreeWalk tree = new TreeWalk(repo)) {
                    tree.addTree(walk.parseCommit(head).getTree());
                    tree.setRecursive(true);
                    while (tree.next()) {
                        if (!files.containsKey(tree.getPathString())) {
                            DirCacheEntry entry = new DirCacheEntry(tree.getPathString());
                            entry.setFileMode(tree.getFileMode(0));
                            entry.setObjectId(tree.getObjectId(0));
                            builder.add(entry);
                        }
                    }
                }
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                DirCacheEntry entry = new DirCacheEntry(file.getKey());
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
                builder.add(entry);
            }
            builder.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            if (head != null) {
                commit.setParentId(head);
            }
            commit.setAuthor(AUTHOR);
            commit.setCommitter(AUTHOR);
            commit.setMessage(message);
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            RefUpdate update = repo.updateRef(Constants.R_HEADS + branch);
            update.setNewObjectId(id);
            update.setExpectedOldObjectId(head == null ? ObjectId.zeroId() : head);
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD) {
                throw new IllegalStateException("branch " + branch + " not updated: " + result);
            }
            return id.name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        repo.close();
    }
}
