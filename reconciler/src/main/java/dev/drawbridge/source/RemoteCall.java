package dev.drawbridge.source;

import dev.drawbridge.redact.Redactor;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import java.io.IOException;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One operation on a remote: opens its transport and, for ssh, holds the session set-up that can tell
 * in one sentence why the operation failed (host key, key file, authentication). The ssh classes are
 * loaded only here, and only for an ssh transport.
 */
final class RemoteCall implements AutoCloseable {
    private final GitRemote remote;
    private final String password;
    private final Duration timeout;
    private SshSessions.Attempt ssh;

    /** @param timeout bounds connecting and every read (for ssh also the key exchange and authentication) */
    RemoteCall(GitRemote remote, String password, Duration timeout) {
        this.remote = remote;
        this.password = password;
        this.timeout = timeout;
    }

    /** A transport to the remote, for {@code repo} (null: no local repository, e.g. to list refs). */
    Transport open(Repository repo) throws IOException, URISyntaxException {
        URIish uri = new URIish(remote.url());
        if (remote.isSsh() && uri.getUser() == null && remote.username() != null && !remote.username().isBlank()) {
            uri = uri.setUser(remote.username());
        }
        Transport transport = repo == null ? Transport.open(uri) : Transport.open(repo, uri);
        transport.setTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
        transport.setTagOpt(TagOpt.NO_TAGS);
        if (transport instanceof SshTransport sshTransport) {
            try {
                ssh = SshSessions.attach(sshTransport, remote, timeout);
            } catch (IOException | RuntimeException e) {
                transport.close();
                throw e;
            }
        } else if (password != null) {
            transport.setCredentialsProvider(new UsernamePasswordCredentialsProvider(remote.effectiveUsername(), password));
        }
        return transport;
    }

    /**
     * Why the operation failed, in one redacted sentence. An ssh explanation is made of what is safe to
     * show (host, files, fingerprint), so only URLs are redacted in it.
     */
    String why(Throwable e, String url) {
        String explained = ssh == null ? null : ssh.explain(e);
        return explained != null ? Redactor.redactUrls(explained) : redactor().summary(e, url);
    }

    Throwable redactChain(Throwable e) {
        return redactor().redactChain(e);
    }

    private Redactor redactor() {
        return remote.redactor(password, ssh == null ? null : ssh.passphraseRead());
    }

    @Override
    public void close() {
        if (ssh != null) {
            ssh.close();
        }
    }

    /** A ref pattern with {@code *} (one path segment) as a regular expression. */
    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append("[^/]+");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
