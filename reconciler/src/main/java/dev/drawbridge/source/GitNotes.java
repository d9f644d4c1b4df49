package dev.drawbridge.source;

import dev.drawbridge.redact.Redactor;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.notes.NoteMap;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Git notes on the commits of a remote repository, under {@code refs/notes/drawbridge}: fetched into a
 * private bare repository, edited there and pushed back. When someone else pushed the notes ref meanwhile
 * the push is refused as not fast-forward; then the notes are fetched again, the edit is applied again to
 * what is there now, and the push is retried a few times. The password is read at use and never appears in a
 * message.
 */
public final class GitNotes implements AutoCloseable {

    public static final String REF = "refs/notes/drawbridge";
    /** Where the remote's notes are fetched to; never pushed. */
    private static final String TRACKING_PREFIX = "refs/drawbridge/remote-notes/";
    private static final String TRACKING = TRACKING_PREFIX + "drawbridge";
    private static final int MAX_ATTEMPTS = 5;
    private static final PersonIdent IDENT = new PersonIdent("Drawbridge", "drawbridge@localhost");
    private static final Logger log = LoggerFactory.getLogger(GitNotes.class);

    private static final Duration TIMEOUT = JGitSource.DEFAULT_TIMEOUT;

    private final GitRemote remote;
    private final String url;
    private final String username;
    private final Supplier<String> password;
    private final Path workDir;
    private Repository repository;

    /**
     * @param url      the repository (any JGit URL: https, ssh, git, file)
     * @param username may be null
     * @param password read at use; may be null or return null
     * @param workDir  a private directory for the bare repository holding the fetched notes
     */
    public GitNotes(String url, String username, Supplier<String> password, Path workDir) {
        this(new GitRemote(requireUrl(url), username, password), workDir);
    }

    /**
     * @param remote  the repository and how to authenticate (an ssh remote with its key and known_hosts, as
     *                {@link Fetcher} does)
     * @param workDir a private directory for the bare repository holding the fetched notes
     */
    public GitNotes(GitRemote remote, Path workDir) {
        IsolatedGitConfig.install();
        this.remote = Objects.requireNonNull(remote, "remote");
        this.url = withUser(remote);
        this.username = remote.username();
        this.password = remote.password() == null ? () -> null : remote.password();
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    private static String requireUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Invalid Git URL: " + url);
        }
        return url;
    }

    /** An {@code ssh://host/...} URL with the configured user, as {@link RemoteCall} sends it. */
    private static String withUser(GitRemote remote) {
        String url = remote.url();
        String user = remote.username();
        if (remote.isSsh() && user != null && !user.isBlank() && url.regionMatches(true, 0, "ssh://", 0, 6)
                && url.indexOf('@') < 0) {
            return url.substring(0, 6) + user + "@" + url.substring(6);
        }
        return url;
    }

    /** The current note on the commit, fetched from the remote. */
    public synchronized Optional<String> read(String sha) throws IOException {
        ObjectId commit = parseSha(sha);
        String secret = password.get();
        Repository repo = repository();
        fetch(repo, secret);
        try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            ObjectId tip = repo.resolve(TRACKING);
            return Optional.ofNullable(noteText(reader, notes(reader, walk, tip), commit));
        }
    }

    /**
     * Sets the note on the commit to {@code edit} applied to the current one (null when there is none) and
     * pushes it; does nothing when the edit changes nothing. {@code edit} runs again after a refused push.
     */
    public synchronized void update(String sha, UnaryOperator<String> edit) throws IOException {
        ObjectId commit = parseSha(sha);
        String secret = password.get();
        Repository repo = repository();
        for (int attempt = 1; ; attempt++) {
            fetch(repo, secret);
            ObjectId tip = repo.resolve(TRACKING);
            ObjectId updated;
            try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader);
                 ObjectInserter inserter = repo.newObjectInserter()) {
                NoteMap map = notes(reader, walk, tip);
                String before = noteText(reader, map, commit);
                String after = edit.apply(before);
                if (Objects.equals(before, after)) {
                    return;
                }
                if (after == null) {
                    map.remove(commit);
                } else {
                    map.set(commit, inserter.insert(Constants.OBJ_BLOB, after.getBytes(StandardCharsets.UTF_8)));
                }
                CommitBuilder builder = new CommitBuilder();
                builder.setTreeId(map.writeTree(inserter));
                if (tip != null) {
                    builder.setParentId(tip);
                }
                builder.setAuthor(IDENT);
                builder.setCommitter(IDENT);
                builder.setMessage("Notes added by Drawbridge\n");
                updated = inserter.insert(builder);
                inserter.flush();
            }
            RefUpdate local = repo.updateRef(REF);
            local.setNewObjectId(updated);
            local.setForceUpdate(true);
            local.update();
            RemoteRefUpdate.Status status = push(repo, secret);
            switch (status) {
                case OK, UP_TO_DATE -> {
                    log.debug("pushed note on {} to {}", sha, safeUrl());
                    return;
                }
                case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
                    if (attempt >= MAX_ATTEMPTS) {
                        throw new IOException("cannot push " + REF + " to " + safeUrl() + ": still not fast-forward after "
                                + attempt + " attempts");
                    }
                    log.debug("{} moved on {}; fetching again (attempt {})", REF, safeUrl(), attempt);
                }
                default -> throw new IOException("cannot push " + REF + " to " + safeUrl() + ": " + status);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (repository != null) {
            repository.close();
            repository = null;
        }
    }

    private Repository repository() throws IOException {
        if (repository == null) {
            Files.createDirectories(workDir);
            Repository repo = FileRepositoryBuilder.create(workDir.toFile());
            if (!Files.exists(workDir.resolve("HEAD"))) {
                repo.create(true);
            }
            repository = repo;
        }
        return repository;
    }

    private void fetch(Repository repo, String secret) throws IOException {
        SshOperation ssh = new SshOperation(remote, TIMEOUT);
        try (Git git = Git.wrap(repo); ssh) {
            git.fetch()
                    .setRemote(url)
                    .setRefSpecs(new RefSpec("+refs/notes/*:" + TRACKING_PREFIX + "*"))
                    .setRemoveDeletedRefs(true)
                    .setTimeout((int) TIMEOUT.toSeconds())
                    .setTransportConfigCallback(ssh)
                    .setCredentialsProvider(credentials(secret))
                    .call();
        } catch (GitAPIException | RuntimeException e) {
            throw new IOException("cannot fetch " + REF + " from " + safeUrl() + ": " + ssh.why(e, secret));
        }
    }

    private RemoteRefUpdate.Status push(Repository repo, String secret) throws IOException {
        SshOperation ssh = new SshOperation(remote, TIMEOUT);
        try (Git git = Git.wrap(repo); ssh) {
            Iterable<PushResult> results = git.push()
                    .setRemote(url)
                    .setRefSpecs(new RefSpec(REF + ":" + REF))
                    .setTimeout((int) TIMEOUT.toSeconds())
                    .setTransportConfigCallback(ssh)
                    .setCredentialsProvider(credentials(secret))
                    .call();
            for (PushResult result : results) {
                RemoteRefUpdate update = result.getRemoteUpdate(REF);
                if (update != null) {
                    if (update.getStatus() == RemoteRefUpdate.Status.REJECTED_OTHER_REASON && update.getMessage() != null) {
                        throw new IOException("cannot push " + REF + " to " + safeUrl() + ": "
                                + SshOperation.sanitize(update.getMessage(), secret));
                    }
                    return update.getStatus();
                }
            }
            throw new IOException("cannot push " + REF + " to " + safeUrl() + ": no result");
        } catch (GitAPIException | RuntimeException e) {
            throw new IOException("cannot push " + REF + " to " + safeUrl() + ": " + ssh.why(e, secret));
        }
    }

    private static NoteMap notes(ObjectReader reader, RevWalk walk, ObjectId tip) throws IOException {
        if (tip == null) {
            return NoteMap.newEmptyMap();
        }
        RevCommit commit = walk.parseCommit(tip);
        return NoteMap.read(reader, commit);
    }

    private static String noteText(ObjectReader reader, NoteMap map, ObjectId commit) throws IOException {
        ObjectId blob = map.get(commit);
        return blob == null ? null : new String(reader.open(blob, Constants.OBJ_BLOB).getBytes(), StandardCharsets.UTF_8);
    }

    private CredentialsProvider credentials(String secret) {
        if (username == null && (secret == null || secret.isEmpty())) {
            return null;
        }
        return new UsernamePasswordCredentialsProvider(username == null ? "drawbridge" : username,
                secret == null ? "" : secret);
    }

    private static ObjectId parseSha(String sha) {
        if (sha == null || !sha.matches("[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("Invalid commit sha (expected 40 hex digits): " + sha);
        }
        return ObjectId.fromString(sha.toLowerCase());
    }

    /** The URL without user information. */
    private String safeUrl() {
        return Redactor.stripUserinfo(url);
    }

    @Override
    public String toString() {
        return "GitNotes[" + safeUrl() + " " + REF + "]";
    }
}
