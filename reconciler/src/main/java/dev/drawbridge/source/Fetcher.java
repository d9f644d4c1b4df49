package dev.drawbridge.source;

import dev.drawbridge.redact.Redactor;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.Transport;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * What is read from a remote: one branch fetched into its mirror ({@link Mirrors}), or resolved in the repository
 * itself when it is read in place, with the head fetched before and whether the branch was force-pushed since
 * ({@link BranchFetch}); and the refs a remote lists. Fetches of one mirror are serialised.
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
final class Fetcher {

    private final Duration timeout;
    private final Mirrors mirrors;
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, BranchFetch> lastFetches = new ConcurrentHashMap<>();

    /** @param timeout transport timeout (connect and each read), at least one second */
    Fetcher(Duration timeout, Mirrors mirrors) {
        if (timeout == null || timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("Invalid Git timeout: " + timeout + " (at least 1s)");
        }
        this.timeout = timeout;
        this.mirrors = mirrors;
    }

    /** Fetches only {@code branch} into the mirror under {@code workDir} and says where its head is now. */
    BranchFetch fetch(GitRemote remote, String branch, Path workDir) throws SourceException {
        String ref = checkedRefName(remote, branch);
        String url = remote.redactedUrl();
        String password = readPassword(remote, branch);
        Optional<Path> local = mirrors.inPlace(remote);
        if (local.isPresent()) {
            return fetchLocal(local.get(), remote, branch, ref, workDir, remote.redactor(password, null));
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
                        && !JGitHistory.descends(repo, previous, head);
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

    /** The last fetch of {@code branch} from {@code remote} into {@code workDir} by this instance. */
    Optional<BranchFetch> lastFetch(GitRemote remote, String branch, Path workDir) {
        return Optional.ofNullable(lastFetches.get(fetchKey(Mirrors.mirrorDir(remote, workDir), refName(branch))));
    }

    /**
     * The refs of the remote whose names match {@code pattern} ({@code *} matches within one path segment), name ->
     * sha (peeled for annotated tags), sorted; asked of the remote itself, as {@code git ls-remote} does.
     */
    Map<String, String> listRemoteRefs(GitRemote remote, String pattern) throws SourceException {
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

    /**
     * A repository on this machine is read in place: nothing to fetch, and the previous head is the one this
     * instance resolved last.
     */
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
                    && !JGitHistory.descends(repo, ObjectId.fromString(previousSha), commit);
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

    private static String fetchKey(Path mirror, String ref) {
        return mirror.toAbsolutePath().normalize() + "\n" + ref;
    }

    private Object lock(Path path) {
        return locks.computeIfAbsent(path.toAbsolutePath().normalize().toString(), k -> new Object());
    }
}
