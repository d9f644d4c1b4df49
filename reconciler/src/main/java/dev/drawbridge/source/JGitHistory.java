package dev.drawbridge.source;

import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link CommitHistory} with JGit, read from where the remote's objects are kept ({@link Mirrors}); also the test a
 * fetch makes to tell a force-push ({@link #descends}).
 */
final class JGitHistory implements CommitHistory {

    private final Mirrors mirrors;

    JGitHistory(Mirrors mirrors) {
        this.mirrors = mirrors;
    }

    @Override
    public boolean contains(GitRemote remote, String sha, String ancestor, Path workDir) throws SourceException {
        String url = remote.redactedUrl();
        if (!Revision.isSha(sha) || !Revision.isSha(ancestor)) {
            throw new SourceException(url, null, "Invalid commit sha: " + (Revision.isSha(sha) ? ancestor : sha));
        }
        if (sha.equals(ancestor)) {
            return true;
        }
        try (Repository repo = mirrors.open(remote, workDir); RevWalk walk = new RevWalk(repo)) {
            RevCommit head = walk.parseCommit(ObjectId.fromString(sha));
            RevCommit base;
            try {
                base = walk.parseCommit(ObjectId.fromString(ancestor));
            } catch (MissingObjectException e) {
                return false; // not even fetched: not in the history of what was fetched
            }
            return walk.isMergedInto(base, head);
        } catch (MissingObjectException e) {
            throw new SourceException(url, null, "commit " + sha + " has not been fetched from " + url + "; fetch its ref first");
        } catch (IOException | RuntimeException e) {
            throw new SourceException(url, null, "could not compare " + sha + " and " + ancestor + " of " + url + ": "
                    + remote.redactor(null, null).summary(e, url), remote.redactor(null, null).redactChain(e));
        }
    }

    @Override
    public Optional<MergeBase> mergeBase(GitRemote remote, String sha, String otherSha, Path workDir)
            throws SourceException {
        String url = remote.redactedUrl();
        try (Repository repo = mirrors.open(remote, workDir); RevWalk walk = new RevWalk(repo)) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(ObjectId.fromString(sha)));
            walk.markStart(walk.parseCommit(ObjectId.fromString(otherSha)));
            RevCommit base = walk.next();
            return base == null ? Optional.empty()
                    : Optional.of(new MergeBase(base.name(), Instant.ofEpochSecond(base.getCommitTime())));
        } catch (MissingObjectException e) {
            throw new SourceException(url, null, "a commit has not been fetched from " + url + "; fetch its ref first");
        } catch (IOException | RuntimeException e) {
            throw new SourceException(url, null, "could not compare " + sha + " and " + otherSha + " of " + url + ": "
                    + remote.redactor(null, null).summary(e, url), remote.redactor(null, null).redactChain(e));
        }
    }

    /**
     * Whether {@code head} is {@code previous} or descends from it: false means the branch was force-pushed
     * (its history rewritten), and so does a {@code previous} that is no longer in {@code repo}.
     */
    static boolean descends(Repository repo, ObjectId previous, ObjectId head) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit base = walk.parseCommit(previous);
            return walk.isMergedInto(base, walk.parseCommit(head));
        } catch (MissingObjectException e) {
            return false;
        }
    }
}
