package dev.drawbridge.source;

import dev.drawbridge.redact.Redactor;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * One fetch or push through JGit's porcelain ({@code git.fetch()}, {@code git.push()}): for an ssh transport,
 * the key and known_hosts of the remote, as {@link Fetcher} uses them (the ssh classes load only then), and
 * one clear reason, without secrets, when the operation fails.
 */
final class SshOperation implements TransportConfigCallback, AutoCloseable {

    private final GitRemote remote;
    private final Duration timeout;
    private SshSessions.Attempt attempt;

    SshOperation(GitRemote remote, Duration timeout) {
        this.remote = remote;
        this.timeout = timeout;
    }

    @Override
    public void configure(Transport transport) {
        if (transport instanceof SshTransport ssh) {
            try {
                attempt = SshSessions.attach(ssh, remote, timeout);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Why the operation failed, in one sentence without the password, the passphrase or userinfo. */
    String why(Exception e, String secret) {
        if (e instanceof UncheckedIOException unchecked && unchecked.getCause() instanceof SshSessions.SshSetupException setup) {
            return sanitize(setup.getMessage(), secret);
        }
        String explained = attempt == null ? null : attempt.explain(e);
        if (explained != null) {
            return Redactor.stripUserinfo(explained); // made of what is safe to show: host, files, fingerprint
        }
        String passphrase = attempt == null ? null : attempt.passphraseRead();
        return Redactor.of(secret, passphrase).redact(Redactor.stripUserinfo(String.valueOf(e.getMessage())));
    }

    @Override
    public void close() {
        if (attempt != null) {
            attempt.close();
        }
    }

    /** {@code message} without userinfo and without {@code secret} (may be null). */
    static String sanitize(String message, String secret) {
        return Redactor.of(secret).redact(Redactor.stripUserinfo(String.valueOf(message)));
    }
}
