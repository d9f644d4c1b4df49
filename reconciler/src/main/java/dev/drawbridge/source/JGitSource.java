package dev.drawbridge.source;

import dev.drawbridge.redact.Redactor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GitSource} with JGit.
 *
 * <p>Layout under {@code workDir}: {@code repos/<hash of the URL without userinfo>} is a private bare
 * mirror per remote, holding only the refs that were fetched, under their own names;
 * {@code trees/<sha>} is the tree of one commit, written blob by blob ({@link TreeFiles}) (executable bit honoured,
 * symlinks written as symlinks: the renderer checks that nothing escapes the tree; a path with
 * {@code ..} or a {@code .git} segment is refused). Only the {@code keepTrees} most recently used trees
 * are kept, so a tree still being rendered is removed only after that many newer ones were
 * materialised in the same work directory. {@code slots/<hash of a name>} is a tree its one user (a
 * reconcile of one environment) brings from revision to revision in place, with
 * {@code slots/<hash>.sha} naming the revision it holds whole. These directories are created {@code 0700}.
 *
 * <p>Calls are safe from several threads: fetches of one mirror and writes of one tree are serialised.
 *
 * <p>Transports: {@code file}, {@code git} and {@code http(s)} are built into JGit. {@code ssh}
 * ({@code ssh://user@host[:port]/path}, {@code user@host:path}) uses JGit's Apache MINA sshd bundle through
 * {@link SshSessions}, whose classes load only when an ssh remote is used: public-key authentication
 * only, with the remote's key file (read at each use) or else the default identities of {@code ~/.ssh};
 * the host key is checked strictly against the remote's {@code known_hosts} file (an unknown, changed or
 * revoked key is refused, naming the host, the file and the offered key's fingerprint; the file is
 * never written); {@code ~/.ssh/config} and ssh agents are not used. A wrong key, a refused
 * authentication, an unreachable host and a timeout each give one clear, redacted error; the key, its
 * content and its passphrase never appear.
 *
 * <p>Timeouts: the transport timeout bounds connecting and every read for {@code http(s)} and
 * {@code ssh} (connecting, the key exchange and authentication included). For
 * {@code git://} JGit bounds only the connect: its read timeout interrupts the reading thread, which
 * does not unblock a socket read on Java 13 and later, so a git daemon that accepts and then never
 * answers holds the fetch. Use {@code https} for production remotes.
 */
public final class JGitSource implements GitSource {

    private static final Logger log = LoggerFactory.getLogger(JGitSource.class);

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_KEEP_TREES = 10;

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private final Duration timeout;
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, BranchFetch> lastFetches = new ConcurrentHashMap<>();
    private final TreePruner pruner;
    private final boolean readLocalInPlace;

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
        if (timeout == null || timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("Invalid Git timeout: " + timeout + " (at least 1s)");
        }
        if (keepTrees < 1) {
            throw new IllegalArgumentException("Invalid number of trees to keep: " + keepTrees + " (at least 1)");
        }
        this.timeout = timeout;
        this.pruner = new TreePruner(keepTrees, this::lock);
        this.readLocalInPlace = readLocalInPlace;
        IsolatedGitConfig.install();
    }

    @Override
    public Checkout checkout(GitRemote remote, String branch, Path workDir) throws SourceException {
        BranchFetch fetched = fetch(remote, branch, workDir);
        return materialise(remote, fetched.revision(), workDir);
    }

    @Override
    public Checkout checkout(GitRemote remote, String branch, Path workDir, String slot) throws SourceException {
        BranchFetch fetched = fetch(remote, branch, workDir);
        return materialiseInto(remote, fetched.revision(), workDir, slot);
    }

    @Override
    public Checkout materialise(GitRemote remote, Revision revision, Path workDir, String slot) throws SourceException {
        return materialiseInto(remote, revision, workDir, slot);
    }

    /** The last fetch of {@code branch} from {@code remote} into {@code workDir} by this instance. */
    public Optional<BranchFetch> lastFetch(GitRemote remote, String branch, Path workDir) {
        return Optional.ofNullable(lastFetches.get(fetchKey(Mirrors.mirrorDir(remote, workDir), refName(branch))));
    }

    @Override
    public BranchFetch fetch(GitRemote remote, String branch, Path workDir) throws SourceException {
        String ref = checkedRefName(remote, branch);
        String url = remote.redactedUrl();
        String password = readPassword(remote, branch);
        Redactor redactor = remote.redactor(password, null);
        Optional<Path> local = readLocalInPlace ? Mirrors.localRepository(remote) : Optional.empty();
        if (local.isPresent()) {
            return fetchLocal(local.get(), remote, branch, ref, workDir, redactor);
        }
        Path mirror = Mirrors.mirrorDir(remote, workDir);
        synchronized (lock(mirror)) {
            RemoteCall call = new RemoteCall(remote, password, timeout);
            try (call; Repository repo = Mirrors.openMirror(mirror)) {
                Ref before = repo.exactRef(ref);
                ObjectId previous = before == null ? null : before.getObjectId();
                try (Transport transport = call.open(repo)) {
                    Ref advertised;
                    try (FetchConnection connection = transport.openFetch(List.of(new RefSpec(ref)), ref)) {
                        advertised = connection.getRef(ref);
                    }
                    if (advertised == null) {
                        throw new SourceException(url, branch, describe(branch) + " does not exist on " + url);
                    }
                    if (!advertised.getObjectId().equals(previous)) {
                        transport.fetch(NullProgressMonitor.INSTANCE, List.of(new RefSpec("+" + ref + ":" + ref)));
                    }
                }
                Ref after = repo.exactRef(ref);
                if (after == null) {
                    throw new SourceException(url, branch, describe(branch) + " does not exist on " + url);
                }
                ObjectId head = peelToCommit(repo, after.getObjectId());
                boolean forcePushed = previous != null && !previous.equals(after.getObjectId())
                        && !descends(repo, previous, head);
                BranchFetch result = new BranchFetch(new Revision(branch, head.name()),
                        previous == null ? null : peelToCommit(repo, previous).name(), forcePushed);
                lastFetches.put(fetchKey(mirror, ref), result);
                return result;
            } catch (SourceException e) {
                throw e;
            } catch (IOException | URISyntaxException | RuntimeException e) {
                throw new SourceException(url, branch,
                        "could not fetch " + url + " branch " + branch + ": " + call.why(e, url), call.redactChain(e));
            }
        }
    }

    @Override
    public Optional<byte[]> readFile(GitRemote remote, Revision revision, String path, long maxBytes, Path workDir)
            throws SourceException {
        String url = remote.redactedUrl();
        if (!SHA.matcher(revision.sha()).matches()) {
            throw new SourceException(url, revision.branch(), "Invalid commit sha: " + revision.sha());
        }
        Optional<Path> local = readLocalInPlace ? Mirrors.localRepository(remote) : Optional.empty();
        try (Repository repo = local.isPresent() ? Mirrors.openLocal(local.get()) : Mirrors.openMirror(Mirrors.mirrorDir(remote, workDir));
             RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(revision.sha()));
            try (TreeWalk tree = TreeWalk.forPath(repo, path, commit.getTree())) {
                if (tree == null) {
                    return Optional.empty();
                }
                FileMode mode = tree.getFileMode(0);
                if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                    return Optional.empty();
                }
                var loader = repo.open(tree.getObjectId(0), Constants.OBJ_BLOB);
                if (loader.getSize() > maxBytes) {
                    throw new SourceException(url, revision.branch(), path + " at " + revision + " is larger than "
                            + maxBytes + " bytes");
                }
                return Optional.of(loader.getBytes());
            }
        } catch (SourceException e) {
            throw e;
        } catch (MissingObjectException e) {
            throw new SourceException(url, revision.branch(), "revision " + revision
                    + " has not been fetched from " + url + "; fetch its branch first");
        } catch (IOException | RuntimeException e) {
            throw new SourceException(url, revision.branch(), "could not read " + path + " at " + revision + " of "
                    + url + ": " + remote.redactor(null, null).summary(e, url), remote.redactor(null, null).redactChain(e));
        }
    }

    @Override
    public boolean contains(GitRemote remote, String sha, String ancestor, Path workDir) throws SourceException {
        String url = remote.redactedUrl();
        if (!SHA.matcher(sha).matches() || !SHA.matcher(ancestor).matches()) {
            throw new SourceException(url, null, "Invalid commit sha: " + (SHA.matcher(sha).matches() ? ancestor : sha));
        }
        if (sha.equals(ancestor)) {
            return true;
        }
        Optional<Path> local = readLocalInPlace ? Mirrors.localRepository(remote) : Optional.empty();
        try (Repository repo = local.isPresent() ? Mirrors.openLocal(local.get()) : Mirrors.openMirror(Mirrors.mirrorDir(remote, workDir));
             RevWalk walk = new RevWalk(repo)) {
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
        Optional<Path> local = readLocalInPlace ? Mirrors.localRepository(remote) : Optional.empty();
        try (Repository repo = local.isPresent() ? Mirrors.openLocal(local.get()) : Mirrors.openMirror(Mirrors.mirrorDir(remote, workDir));
             RevWalk walk = new RevWalk(repo)) {
            walk.setRevFilter(org.eclipse.jgit.revwalk.filter.RevFilter.MERGE_BASE);
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

    @Override
    public Checkout materialise(GitRemote remote, Revision revision, Path workDir) throws SourceException {
        Path trees = workDir.resolve("trees");
        Path target = trees.resolve(revision.sha());
        return materialising(remote, revision, target, () -> {
            TreeFiles.createPrivateDirectories(trees);
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
            } else {
                Path temp = Files.createTempDirectory(trees, ".tmp-" + revision.sha().substring(0, 12) + "-");
                try (Repository repo = openObjects(remote, workDir)) {
                    TreeFiles.writeTree(repo, ObjectId.fromString(revision.sha()), temp, TreeFiles.latestTree(trees));
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException | RuntimeException e) {
                    TreeFiles.deleteRecursively(temp);
                    throw e;
                }
            }
            pruner.pruneLater(trees, target);
            return new Checkout(revision, target);
        });
    }

    /**
     * Brings the slot's directory ({@code workDir/slots/<hash of the slot's name>}) to the tree of
     * {@code revision}. The revision the slot holds is written beside it ({@code <hash>.sha}) once the tree is
     * complete and removed before it is changed, so a slot left half-written (a crash, a full disk) is written
     * whole at its next use. Beside the revision the marker holds a fingerprint of the slot's files (each path
     * with its size and modification time, read with one stat per file as Git's index does): a slot whose files
     * were changed, added or removed behind Drawbridge's back is written whole too, so what is rendered is what
     * Git holds. Between two revisions only what differs is touched (a tree walk that skips the unchanged
     * subtrees), so a commit that changes one file of five hundred writes one file.
     */
    Checkout materialiseInto(GitRemote remote, Revision revision, Path workDir, String slot) throws SourceException {
        Path slots = workDir.resolve("slots");
        String name = Mirrors.shortHash(slot);
        Path dir = slots.resolve(name);
        Path marker = slots.resolve(name + ".sha");
        String sha = revision.sha();
        return materialising(remote, revision, dir, () -> {
            TreeFiles.createPrivateDirectories(slots);
            String held = SlotMarker.held(marker, dir);
            if (sha.equals(held)) {
                return new Checkout(revision, dir, new Checkout.Since(sha, Set.of()));
            }
            Files.deleteIfExists(marker);
            Checkout.Since since = null;
            try (Repository repo = openObjects(remote, workDir)) {
                ObjectId commit = ObjectId.fromString(sha);
                boolean updated = false;
                if (held != null && repo.getObjectDatabase().has(ObjectId.fromString(held))) {
                    try {
                        since = TreeFiles.updateTree(repo, ObjectId.fromString(held), commit, dir);
                        updated = true;
                    } catch (MissingObjectException e) {
                        // the held revision's trees are gone (a local repository pruned by git gc): written whole
                        log.debug("slot {}: revision {} no longer readable, writing {} whole", slot, held, sha);
                    }
                }
                if (!updated) {
                    TreeFiles.deleteRecursively(dir);
                    Files.createDirectories(dir);
                    TreeFiles.writeTree(repo, commit, dir, Optional.empty());
                }
            } catch (IOException | RuntimeException e) {
                deleteQuietly(dir);
                throw e;
            }
            SlotMarker.write(marker, dir, sha);
            return new Checkout(revision, dir, since);
        });
    }

    /** Writes a tree into a directory of the work directory. */
    @FunctionalInterface
    private interface TreeWrite {
        Checkout write() throws IOException;
    }

    /**
     * Runs {@code write} for a valid commit sha under the lock of its directory {@code dir}, and turns what can
     * go wrong into one clear, redacted {@link SourceException}.
     */
    private Checkout materialising(GitRemote remote, Revision revision, Path dir, TreeWrite write) throws SourceException {
        String url = remote.redactedUrl();
        if (!SHA.matcher(revision.sha()).matches()) {
            throw new SourceException(url, revision.branch(), "Invalid commit sha: " + revision.sha());
        }
        Redactor redactor = remote.redactor(null, null);
        synchronized (lock(dir)) {
            try {
                return write.write();
            } catch (MissingObjectException e) {
                throw new SourceException(url, revision.branch(), "revision " + revision
                        + " has not been fetched from " + url + "; fetch its branch first", redactor.redactChain(e));
            } catch (TreeFiles.UnsafePathException e) {
                throw new SourceException(url, revision.branch(), "revision " + revision + " of " + url
                        + " holds an unsafe path: " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                throw new SourceException(url, revision.branch(), "could not materialise " + revision + " of " + url
                        + ": " + redactor.summary(e, url), redactor.redactChain(e));
            }
        }
    }


    @Override
    public Map<String, String> listRemoteRefs(GitRemote remote, String pattern) throws SourceException {
        String url = remote.redactedUrl();
        String password = readPassword(remote, null);
        Pattern glob = RemoteCall.globToRegex(pattern);
        int star = pattern.indexOf('*');
        String prefix = star < 0 ? pattern : pattern.substring(0, star);
        Map<String, String> refs = new TreeMap<>();
        RemoteCall call = new RemoteCall(remote, password, timeout);
        try (call; Transport transport = call.open(null);
             FetchConnection connection = transport.openFetch(List.of(), prefix)) {
            for (Ref ref : connection.getRefs()) {
                if (glob.matcher(ref.getName()).matches() && ref.getObjectId() != null) {
                    ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
                    refs.put(ref.getName(), id.name());
                }
            }
            return refs;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            throw new SourceException(url, null, "could not list refs " + pattern + " of " + url + ": "
                    + call.why(e, url), call.redactChain(e));
        }
    }

    // --- fetching ---

    private static String readPassword(GitRemote remote, String branch) throws SourceException {
        if (remote.password() == null) {
            return null;
        }
        try {
            return remote.password().get();
        } catch (RuntimeException e) {
            Redactor redactor = remote.redactor(null, null);
            throw new SourceException(remote.redactedUrl(), branch, "could not read the password for "
                    + remote.redactedUrl() + ": " + redactor.summary(e, remote.redactedUrl()), redactor.redactChain(e));
        }
    }

    private static String checkedRefName(GitRemote remote, String branch) throws SourceException {
        if (branch == null || branch.isBlank() || !Repository.isValidRefName(refName(branch))) {
            throw new SourceException(remote.redactedUrl(), branch, "Invalid branch name: " + branch);
        }
        return refName(branch);
    }

    private static String refName(String branch) {
        return branch.startsWith("refs/") ? branch : Constants.R_HEADS + branch;
    }

    private static String describe(String branch) {
        return (branch.startsWith("refs/") ? "ref " : "branch ") + branch;
    }

    private static ObjectId peelToCommit(Repository repo, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(id).getId();
        }
    }

    private static boolean descends(Repository repo, ObjectId previous, ObjectId head) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit base = walk.parseCommit(previous);
            return walk.isMergedInto(base, walk.parseCommit(head));
        } catch (MissingObjectException e) {
            return false;
        }
    }

    private BranchFetch fetchLocal(Path gitDir, GitRemote remote, String branch, String ref, Path workDir,
                                   Redactor redactor) throws SourceException {
        String url = remote.redactedUrl();
        String key = fetchKey(Mirrors.mirrorDir(remote, workDir), ref);
        try (Repository repo = Mirrors.openLocal(gitDir)) {
            Ref head = repo.exactRef(ref);
            if (head == null) {
                throw new SourceException(url, branch, describe(branch) + " does not exist on " + url);
            }
            ObjectId commit = peelToCommit(repo, head.getObjectId());
            BranchFetch previous = lastFetches.get(key);
            String previousSha = previous == null ? null : previous.revision().sha();
            boolean forcePushed = previousSha != null && !previousSha.equals(commit.name())
                    && !descends(repo, ObjectId.fromString(previousSha), commit);
            BranchFetch result = new BranchFetch(new Revision(branch, commit.name()), previousSha, forcePushed);
            lastFetches.put(key, result);
            return result;
        } catch (SourceException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SourceException(url, branch,
                    "could not fetch " + url + " branch " + branch + ": " + redactor.summary(e, url),
                    redactor.redactChain(e));
        }
    }

    /** Where the objects of {@code remote} are read: the repository itself when it is on this machine, else the mirror. */
    private Repository openObjects(GitRemote remote, Path workDir) throws IOException {
        Optional<Path> local = readLocalInPlace ? Mirrors.localRepository(remote) : Optional.empty();
        return local.isPresent() ? Mirrors.openLocal(local.get()) : Mirrors.openMirror(Mirrors.mirrorDir(remote, workDir));
    }

    private static String fetchKey(Path mirror, String ref) {
        return mirror.toAbsolutePath().normalize() + "\n" + ref;
    }

    private Object lock(Path path) {
        return locks.computeIfAbsent(path.toAbsolutePath().normalize().toString(), k -> new Object());
    }

    // --- materialising ---

    /** Waits until the prunes asked for so far are done (tests). */
    void awaitPrunes() throws InterruptedException, ExecutionException {
        TreePruner.awaitPrunes();
    }

    private static void deleteQuietly(Path root) {
        try {
            TreeFiles.deleteRecursively(root);
        } catch (IOException e) {
            log.debug("could not delete {}: {}", root, e.toString());
        }
    }
}
