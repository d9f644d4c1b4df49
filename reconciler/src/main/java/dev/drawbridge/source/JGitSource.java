package dev.drawbridge.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@link GitSource} with JGit: a facade over one class per job, which share where a remote's objects are
 * kept ({@link Mirrors}: {@code workDir/repos/<hash of the URL>}, or a repository on this machine read in place).
 * <ul>
 *   <li>{@link Fetcher}: fetches a branch into its mirror, tells a force-push, lists a remote's refs (transports,
 *       ssh and timeouts are described there);</li>
 *   <li>{@link Materialiser}: writes the tree of a fetched revision into {@code workDir/trees/<sha>} (the few most
 *       recently used kept) or brings an environment's slot {@code workDir/slots/<hash>} to it in place;</li>
 *   <li>{@link RevisionFiles}: reads one file of a fetched revision;</li>
 *   <li>{@link JGitHistory}: how fetched commits relate ({@link CommitHistory}: contains, merge base).</li>
 * </ul>
 *
 * <p>Calls are safe from several threads: fetches of one mirror and writes of one tree are serialised.
 */
public final class JGitSource implements GitSource {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_KEEP_TREES = 10;

    private final Fetcher fetcher;
    private final Materialiser materialiser;
    private final RevisionFiles files;
    private final JGitHistory history;

    public JGitSource() {
        this(DEFAULT_TIMEOUT, DEFAULT_KEEP_TREES);
    }

    /**
     * @param timeout   transport timeout (connect and each read), at least one second
     * @param keepTrees how many materialised trees to keep per work directory, at least one
     */
    public JGitSource(Duration timeout, int keepTrees) {
        this(timeout, keepTrees, true);
    }

    /**
     * @param readLocalInPlace read a repository on this machine in place instead of mirroring it through
     *                         the transport (see {@link Mirrors#localRepository})
     */
    public JGitSource(Duration timeout, int keepTrees, boolean readLocalInPlace) {
        Mirrors mirrors = new Mirrors(readLocalInPlace);
        this.fetcher = new Fetcher(timeout, mirrors);
        this.materialiser = new Materialiser(keepTrees, mirrors);
        this.files = new RevisionFiles(mirrors);
        this.history = new JGitHistory(mirrors);
        IsolatedGitConfig.install();
    }

    @Override
    public Checkout checkout(GitRemote remote, String branch, Path workDir) throws SourceException {
        return materialise(remote, fetch(remote, branch, workDir).revision(), workDir);
    }

    @Override
    public Checkout checkout(GitRemote remote, String branch, Path workDir, String slot) throws SourceException {
        return materialiser.slot(remote, fetch(remote, branch, workDir).revision(), workDir, slot);
    }

    @Override
    public Checkout materialise(GitRemote remote, Revision revision, Path workDir, String slot) throws SourceException {
        return materialiser.slot(remote, revision, workDir, slot);
    }

    @Override
    public BranchFetch fetch(GitRemote remote, String branch, Path workDir) throws SourceException {
        return fetcher.fetch(remote, branch, workDir);
    }

    /** The last fetch of {@code branch} from {@code remote} into {@code workDir} by this instance. */
    public Optional<BranchFetch> lastFetch(GitRemote remote, String branch, Path workDir) {
        return fetcher.lastFetch(remote, branch, workDir);
    }

    @Override
    public Checkout materialise(GitRemote remote, Revision revision, Path workDir) throws SourceException {
        return materialiser.tree(remote, revision, workDir);
    }

    @Override
    public Optional<byte[]> readFile(GitRemote remote, Revision revision, String path, long maxBytes, Path workDir)
            throws SourceException {
        return files.read(remote, revision, path, maxBytes, workDir);
    }

    @Override
    public Map<String, String> listRemoteRefs(GitRemote remote, String pattern) throws SourceException {
        return fetcher.listRemoteRefs(remote, pattern);
    }

    @Override
    public boolean contains(GitRemote remote, String sha, String ancestor, Path workDir) throws SourceException {
        return history.contains(remote, sha, ancestor, workDir);
    }

    @Override
    public Optional<MergeBase> mergeBase(GitRemote remote, String sha, String otherSha, Path workDir)
            throws SourceException {
        return history.mergeBase(remote, sha, otherSha, workDir);
    }
}
