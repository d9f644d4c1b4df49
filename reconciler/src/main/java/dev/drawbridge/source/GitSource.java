package dev.drawbridge.source;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The source stage: desired state from a Git branch.
 *
 * <p>The main method is {@link #checkout}: fetch one branch into a private mirror, resolve its head
 * and materialise the tree at that sha. The others split it, so a reconcile can skip work when the
 * head did not move ({@link #fetch} then {@link #materialise}), and list pull-request heads. How fetched
 * commits relate (the force-push guard, the branch a pull request was cut from) is {@link CommitHistory}.
 *
 * <p>{@code branch} is a branch name ({@code env/dev}, meaning {@code refs/heads/env/dev}) or a full
 * ref name starting with {@code refs/} ({@code refs/pull/12/head}).
 */
public interface GitSource extends CommitHistory {

    /** Fetches {@code branch} and materialises its head into {@code workDir/trees/<sha>}. */
    Checkout checkout(GitRemote remote, String branch, Path workDir) throws SourceException;

    /**
     * Fetches {@code branch} and brings the directory of {@code slot} (one per name under {@code workDir}) to its
     * head, touching only what changed since the revision the slot held; the checkout then says what that was
     * ({@link Checkout#since()}). The caller must be the slot's only user from this call until it is done
     * reading the tree (one reconcile of one environment at a time). Sources that keep no slots materialise
     * the head as {@link #checkout(GitRemote, String, Path)} does.
     */
    default Checkout checkout(GitRemote remote, String branch, Path workDir, String slot) throws SourceException {
        return checkout(remote, branch, workDir);
    }

    /**
     * Brings the directory of {@code slot} to an already fetched revision, as
     * {@link #checkout(GitRemote, String, Path, String)} does after its fetch.
     */
    default Checkout materialise(GitRemote remote, Revision revision, Path workDir, String slot) throws SourceException {
        return materialise(remote, revision, workDir);
    }

    /** Fetches only {@code branch} into the mirror under {@code workDir} and says where its head is now. */
    BranchFetch fetch(GitRemote remote, String branch, Path workDir) throws SourceException;

    /** Fetches and resolves the head of {@code branch} without materialising it. */
    default Revision resolve(GitRemote remote, String branch, Path workDir) throws SourceException {
        return fetch(remote, branch, workDir).revision();
    }

    /** Materialises an already fetched revision; reuses the directory when it exists. */
    Checkout materialise(GitRemote remote, Revision revision, Path workDir) throws SourceException;

    /**
     * One regular file of an already fetched revision, without materialising the tree (e.g. a policy file
     * from the policy repository); empty when the revision has no regular file at {@code path}.
     *
     * @param maxBytes a file larger than this is an error
     */
    Optional<byte[]> readFile(GitRemote remote, Revision revision, String path, long maxBytes, Path workDir)
            throws SourceException;

    /**
     * The refs of the remote whose names match {@code pattern} ({@code *} matches within one path
     * segment, e.g. {@code refs/pull/*}{@code /head}), name -> sha (peeled for annotated tags), sorted.
     */
    Map<String, String> listRemoteRefs(GitRemote remote, String pattern) throws SourceException;
}
