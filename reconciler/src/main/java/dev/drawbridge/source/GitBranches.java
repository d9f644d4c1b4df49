package dev.drawbridge.source;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.RecursiveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefLeaseSpec;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The branches Drawbridge moves itself in the deploy repository: a promotion branch
 * ({@code drawbridge/promote/<environment>}) set to exactly the revision an environment applied, and, where no
 * forge merges, an environment branch that a promotion is merged into. Branches are fetched into a private
 * bare repository under the work directory; merges are made there in memory (never in a work tree); a push
 * names the value it expects the remote branch to hold, so a branch someone moved meanwhile is never
 * overwritten unknowingly. The password is read at use and appears in no message.
 */
public final class GitBranches implements AutoCloseable {

    private static final Duration TIMEOUT = JGitSource.DEFAULT_TIMEOUT;
    private static final String TRACKING = "refs/drawbridge/remote/";
    private static final PersonIdent IDENT = new PersonIdent("Drawbridge", "drawbridge@localhost");

    private final GitRemote remote;
    private final Path workDir;
    private Repository repository;

    /**
     * @param remote  the deploy repository and how to authenticate
     * @param workDir a private directory for the bare repository
     */
    public GitBranches(GitRemote remote, Path workDir) {
        IsolatedGitConfig.install();
        this.remote = Objects.requireNonNull(remote, "remote");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /** A merge of one revision into a branch head, made in memory. */
    public sealed interface Merge {
        /** The branch head already holds everything of the revision (it contains it, or the merged tree is its tree). */
        record UpToDate(String head) implements Merge {
        }

        /** The revision descends from the head: the branch can simply move to it. */
        record FastForward(String commit) implements Merge {
        }

        /** A merge commit (not pushed) whose parents are the head and the revision. */
        record Merged(String commit) implements Merge {
        }

        /** The merge stops on conflicts in these files (sorted); nothing was written. */
        record Conflicts(List<String> files) implements Merge {
            public Conflicts {
                files = List.copyOf(files);
            }
        }
    }

    /** What a push did. */
    public enum Push {
        /** The remote branch now holds the new value. */
        PUSHED,
        /** The remote branch already held it. */
        UP_TO_DATE,
        /** The remote branch no longer held the expected value (someone pushed meanwhile); nothing changed. */
        MOVED_MEANWHILE
    }

    /**
     * Fetches the branches that exist on the remote (each name without {@code refs/heads/}) and answers their
     * heads; a branch that does not exist is absent from the answer.
     */
    public synchronized Map<String, String> fetch(Collection<String> branches) throws SourceException {
        String secret = password();
        Repository repo = repository();
        Map<String, String> heads = new LinkedHashMap<>();
        SshOperation ssh = new SshOperation(remote, TIMEOUT);
        try (ssh; Git git = Git.wrap(repo)) {
            Map<String, String> remoteHeads = new LinkedHashMap<>();
            git.lsRemote().setRemote(remote.url()).setHeads(true).setTimeout((int) TIMEOUT.toSeconds())
                    .setTransportConfigCallback(ssh).setCredentialsProvider(credentials(secret)).call()
                    .forEach(ref -> remoteHeads.put(ref.getName(), ref.getObjectId().name()));
            List<RefSpec> specs = new ArrayList<>();
            for (String branch : branches) {
                String ref = Constants.R_HEADS + branch;
                if (remoteHeads.containsKey(ref)) {
                    heads.put(branch, remoteHeads.get(ref));
                    specs.add(new RefSpec("+" + ref + ":" + TRACKING + branch));
                }
            }
            if (!specs.isEmpty()) {
                git.fetch().setRemote(remote.url()).setRefSpecs(specs).setTimeout((int) TIMEOUT.toSeconds())
                        .setTransportConfigCallback(ssh).setCredentialsProvider(credentials(secret)).call();
            }
            return heads;
        } catch (GitAPIException | RuntimeException e) {
            throw new SourceException(remote.redactedUrl(), String.join(", ", branches), "cannot fetch "
                    + String.join(", ", branches) + " from " + remote.redactedUrl() + ": " + ssh.why(e, secret), null);
        }
    }

    /** Whether {@code ancestor} is {@code sha} or one of its ancestors (both fetched); false when either is unknown. */
    public synchronized boolean contains(String sha, String ancestor) throws SourceException {
        try (RevWalk walk = new RevWalk(repository())) {
            ObjectId a = repository().resolve(ancestor);
            ObjectId b = repository().resolve(sha);
            if (a == null || b == null || !repository().getObjectDatabase().has(a) || !repository().getObjectDatabase().has(b)) {
                return false;
            }
            return walk.isMergedInto(walk.parseCommit(a), walk.parseCommit(b));
        } catch (IOException e) {
            throw failure("cannot compare " + abbreviate(ancestor) + " with " + abbreviate(sha), e);
        }
    }

    /** Whether the commit was fetched. */
    public synchronized boolean has(String sha) throws SourceException {
        try {
            ObjectId id = ObjectId.fromString(sha);
            return repository().getObjectDatabase().has(id);
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Merges {@code revision} into {@code head} (both fetched) in memory, as {@code git merge} would with the
     * recursive strategy; a merge commit gets {@code message}. Writes objects only, never a ref.
     */
    public synchronized Merge merge(String head, String revision, String message) throws SourceException {
        Repository repo = repository();
        try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
            RevCommit ours = walk.parseCommit(ObjectId.fromString(head));
            RevCommit theirs = walk.parseCommit(ObjectId.fromString(revision));
            if (walk.isMergedInto(theirs, ours)) {
                return new Merge.UpToDate(head);
            }
            if (walk.isMergedInto(ours, theirs)) {
                return new Merge.FastForward(revision);
            }
            RecursiveMerger merger = (RecursiveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
            if (!merger.merge(ours, theirs)) {
                TreeSet<String> files = new TreeSet<>(merger.getMergeResults().keySet());
                files.addAll(merger.getUnmergedPaths());
                if (merger.getFailingPaths() != null) {
                    files.addAll(merger.getFailingPaths().keySet());
                }
                return new Merge.Conflicts(List.copyOf(files));
            }
            ObjectId tree = merger.getResultTreeId();
            if (tree.equals(ours.getTree())) {
                return new Merge.UpToDate(head); // everything of the revision is there already (e.g. squash-merged)
            }
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            commit.setParentIds(ours, theirs);
            commit.setAuthor(IDENT);
            commit.setCommitter(IDENT);
            commit.setMessage(message.endsWith("\n") ? message : message + "\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return new Merge.Merged(id.name());
        } catch (IOException | IllegalArgumentException e) {
            throw failure("cannot merge " + abbreviate(revision) + " into " + abbreviate(head), e);
        }
    }

    /** The files (paths) whose content or mode differs between two fetched commits, sorted. */
    public synchronized List<String> changedFiles(String from, String to) throws SourceException {
        Repository repo = repository();
        try (RevWalk walk = new RevWalk(repo); TreeWalk tree = new TreeWalk(repo)) {
            tree.addTree(walk.parseCommit(ObjectId.fromString(from)).getTree());
            tree.addTree(walk.parseCommit(ObjectId.fromString(to)).getTree());
            tree.setRecursive(true);
            tree.setFilter(TreeFilter.ANY_DIFF);
            List<String> files = new ArrayList<>();
            for (DiffEntry entry : DiffEntry.scan(tree)) {
                files.add(entry.getChangeType() == DiffEntry.ChangeType.DELETE ? entry.getOldPath() : entry.getNewPath());
            }
            return files.stream().sorted().distinct().toList();
        } catch (IOException | IllegalArgumentException e) {
            throw failure("cannot compare " + abbreviate(from) + " with " + abbreviate(to), e);
        }
    }

    /**
     * Writes the tree of a fetched (or merged) commit into the new directory {@code dir}, which is made the top of
     * an empty work tree, so that a render of a path below it stays confined to it (as {@code check --dir} does).
     */
    public synchronized void materialise(String commit, Path dir) throws SourceException {
        try {
            Files.createDirectories(dir);
            TreeFiles.writeTree(repository(), ObjectId.fromString(commit), dir, Optional.empty());
            try (Git ignored = Git.init().setDirectory(dir.toFile()).call()) {
                // an empty repository: only marks the top of the tree
            }
        } catch (IOException | GitAPIException | IllegalArgumentException e) {
            throw failure("cannot write the tree of " + abbreviate(commit), e);
        }
    }

    /**
     * Sets the remote {@code branch} to {@code sha} (a fetched or merged commit) if it holds {@code expected}
     * now (null: it must not exist), whether or not that is a fast-forward.
     */
    public synchronized Push push(String branch, String sha, String expected) throws SourceException {
        String secret = password();
        Repository repo = repository();
        String ref = Constants.R_HEADS + branch;
        SshOperation ssh = new SshOperation(remote, TIMEOUT);
        try (ssh; Git git = Git.wrap(repo)) {
            Iterable<PushResult> results = git.push().setRemote(remote.url())
                    .setRefSpecs(new RefSpec("+" + sha + ":" + ref))
                    .setTimeout((int) TIMEOUT.toSeconds()).setTransportConfigCallback(ssh)
                    .setCredentialsProvider(credentials(secret))
                    .setForce(true)
                    .setRefLeaseSpecs(new RefLeaseSpec(ref,
                            expected == null ? ObjectId.zeroId().name() : expected))
                    .call();
            for (PushResult result : results) {
                RemoteRefUpdate done = result.getRemoteUpdate(ref);
                if (done == null) {
                    continue;
                }
                return switch (done.getStatus()) {
                    case OK -> Push.PUSHED;
                    case UP_TO_DATE -> Push.UP_TO_DATE;
                    case REJECTED_REMOTE_CHANGED -> Push.MOVED_MEANWHILE;
                    default -> throw new SourceException(remote.redactedUrl(), branch, "cannot push " + branch + " to "
                            + remote.redactedUrl() + ": " + done.getStatus()
                            + (done.getMessage() == null ? "" : " " + SshOperation.sanitize(done.getMessage(), secret)));
                };
            }
            throw new SourceException(remote.redactedUrl(), branch, "cannot push " + branch + " to " + remote.redactedUrl()
                    + ": no result");
        } catch (GitAPIException | RuntimeException e) {
            throw new SourceException(remote.redactedUrl(), branch, "cannot push " + branch + " to " + remote.redactedUrl()
                    + ": " + ssh.why(e, secret), null);
        }
    }

    @Override
    public synchronized void close() {
        if (repository != null) {
            repository.close();
            repository = null;
        }
    }

    private Repository repository() throws SourceException {
        if (repository == null) {
            try {
                Files.createDirectories(workDir);
                Repository repo = new FileRepositoryBuilder().setGitDir(workDir.toFile()).setBare().build();
                if (!Files.exists(workDir.resolve("HEAD"))) {
                    repo.create(true);
                }
                repository = repo;
            } catch (IOException e) {
                throw failure("cannot create the repository in " + workDir, e);
            }
        }
        return repository;
    }

    private String password() throws SourceException {
        try {
            return remote.password() == null ? null : remote.password().get();
        } catch (RuntimeException e) {
            throw new SourceException(remote.redactedUrl(), null, "cannot read the password of " + remote.redactedUrl()
                    + ": " + e.getClass().getSimpleName());
        }
    }

    private CredentialsProvider credentials(String secret) {
        if (remote.isSsh() || secret == null || secret.isEmpty()) {
            return null;
        }
        return new UsernamePasswordCredentialsProvider(remote.effectiveUsername(), secret);
    }

    private SourceException failure(String what, Exception e) {
        return new SourceException(remote.redactedUrl(), null, what + ": " + e.getMessage());
    }

    private static String abbreviate(String sha) {
        return sha != null && sha.length() > 12 ? sha.substring(0, 12) : String.valueOf(sha);
    }

    @Override
    public String toString() {
        return "GitBranches[" + remote.redactedUrl() + "]";
    }
}
