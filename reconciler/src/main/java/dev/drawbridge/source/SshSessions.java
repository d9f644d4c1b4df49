package dev.drawbridge.source;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.internal.transport.sshd.OpenSshServerKeyDatabase;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.DefaultProxyDataFactory;
import org.eclipse.jgit.transport.sshd.KeyPasswordProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSession;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.agent.ConnectorFactory;
import org.eclipse.jgit.util.FS;

/**
 * ssh for JGit, with Apache MINA sshd ({@code org.eclipse.jgit.ssh.apache}). Only this class touches MINA
 * and JGit's sshd bundle, and {@link RemoteCall} calls it only for a transport that is ssh, so a run that
 * never fetches over ssh never loads them (a short-lived {@code check} stays fast).
 *
 * <p>Each operation on a remote gets its own {@link Attempt}: a session factory that
 * <ul>
 *   <li>authenticates with public keys only: the configured key file, read at use, else the default
 *       identities of {@code ~/.ssh}; no password or keyboard-interactive prompt, no ssh agent;</li>
 *   <li>checks the host key strictly against one {@code known_hosts} file: an unknown, changed or revoked
 *       key is refused and remembered, so the error can name the host, the file and the key's fingerprint;
 *       the file is never written;</li>
 *   <li>reads no {@code ~/.ssh/config}, so what is fetched does not depend on the machine.</li>
 * </ul>
 */
final class SshSessions {

    private SshSessions() {
    }

    /**
     * Sets up ssh for one operation on {@code transport}. Checks first what can be checked without the
     * network: the known_hosts file and the key file must be readable.
     *
     * @throws SshSetupException with a message that names the file, never its content
     */
    static Attempt attach(SshTransport transport, GitRemote remote, Duration timeout) throws SshSetupException {
        SshSettings settings = remote.ssh();
        Path knownHosts = settings.effectiveKnownHostsFile();
        if (!Files.isRegularFile(knownHosts)) {
            throw new SshSetupException("the known_hosts file " + knownHosts + " does not exist, so the host key of "
                    + hostOf(transport.getURI()) + " cannot be checked; add the host's key to it (e.g. "
                    + keyscan(transport.getURI()) + " >> " + knownHosts + ", after checking its fingerprint)");
        }
        if (!Files.isReadable(knownHosts)) {
            throw new SshSetupException("the known_hosts file " + knownHosts + " cannot be read");
        }
        Path keyFile = settings.keyFile();
        if (keyFile != null) {
            if (!Files.isRegularFile(keyFile)) {
                throw new SshSetupException("the ssh key file " + keyFile + " does not exist");
            }
            if (!Files.isReadable(keyFile)) {
                throw new SshSetupException("the ssh key file " + keyFile + " cannot be read");
            }
        }
        Attempt attempt = new Attempt(transport.getURI(), knownHosts, keyFile, settings.keyPassphrase(), timeout);
        transport.setSshSessionFactory(attempt.factory);
        return attempt;
    }

    private static String hostOf(URIish uri) {
        return uri.getPort() > 0 && uri.getPort() != 22 ? "[" + uri.getHost() + "]:" + uri.getPort() : uri.getHost();
    }

    private static String keyscan(URIish uri) {
        return "ssh-keyscan " + (uri.getPort() > 0 && uri.getPort() != 22 ? "-p " + uri.getPort() + " " : "")
                + uri.getHost();
    }

    /** ssh could not be set up; the message is safe to show. */
    static final class SshSetupException extends IOException {
        SshSetupException(String message) {
            super(message);
        }
    }

    /** The ssh side of one operation: the session factory and what it saw go wrong. */
    static final class Attempt implements AutoCloseable {
        private final URIish uri;
        private final Path keyFile;
        private final Duration timeout;
        private final StrictKnownHosts knownHosts;
        private final Passphrase passphrase;
        private final SshdSessionFactory factory;
        private volatile boolean timedOut;
        private volatile String keyProblem;

        private Attempt(URIish uri, Path knownHostsFile, Path keyFile, Supplier<String> passphrase, Duration timeout) {
            this.uri = uri;
            this.keyFile = keyFile;
            this.timeout = timeout;
            this.knownHosts = new StrictKnownHosts(knownHostsFile);
            this.passphrase = new Passphrase(passphrase);
            this.factory = new Factory();
        }

        /**
         * The session factory of this attempt. JGit bounds only the TCP connect with the transport timeout;
         * the key exchange and authentication wait up to MINA's own two minutes, so a server that accepts
         * and then says nothing would hold a fetch that long. Here the whole session set-up is bounded: the
         * calling thread is interrupted at the timeout, which MINA's waits honour.
         */
        private final class Factory extends SshdSessionFactory {
            Factory() {
                super(null, new DefaultProxyDataFactory()); // no key cache: the key is read at each use
                setHomeDirectory(new File(System.getProperty("user.home")));
                setSshDirectory(SshSettings.userSshDirectory().toFile());
            }

            @Override
            public SshdSession getSession(URIish target, CredentialsProvider credentials, FS fs, int millis)
                    throws TransportException {
                Alarm alarm = Alarm.set(timeout);
                boolean connected = false;
                try {
                    SshdSession session = super.getSession(target, credentials, fs, millis);
                    connected = true;
                    return session;
                } finally {
                    if (alarm.cancel() && !connected) {
                        timedOut = true;
                    }
                }
            }

            @Override
            protected File getSshConfig(File sshDir) {
                return null; // no ~/.ssh/config
            }

            @Override
            protected ServerKeyDatabase getServerKeyDatabase(File homeDir, File sshDir) {
                return knownHosts;
            }

            @Override
            protected Iterable<KeyPair> getDefaultKeys(File sshDir) {
                return keyFile != null ? loadKeyFile() : super.getDefaultKeys(sshDir);
            }

            @Override
            protected KeyPasswordProvider createKeyPasswordProvider(CredentialsProvider provider) {
                return passphrase;
            }

            @Override
            protected String getDefaultPreferredAuthentications() {
                return "publickey";
            }

            @Override
            protected ConnectorFactory getConnectorFactory() {
                return null; // no ssh agent
            }
        }

        /**
         * The configured key, read now (once per attempt, so a replaced key file is picked up). A key that
         * cannot be used is remembered, so the failure names it instead of a refused authentication.
         */
        private List<KeyPair> loadKeyFile() {
            FilePasswordProvider passwords = new FilePasswordProvider() {
                @Override
                public String getPassword(SessionContext session, NamedResource resource, int retry) {
                    return passphrase.get();
                }
            };
            List<KeyPair> keys = new ArrayList<>();
            try (InputStream in = Files.newInputStream(keyFile)) {
                Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null,
                        NamedResource.ofName(keyFile.toString()), in, passwords);
                if (loaded != null) { // null: no parser recognised the content
                    loaded.forEach(keys::add);
                }
                if (keys.isEmpty()) {
                    keyProblem = "holds no private key (expected OpenSSH or PEM format)";
                }
            } catch (SecretFileProblem e) {
                keyProblem = "cannot be decrypted: its passphrase cannot be read (" + e.getMessage() + ")";
            } catch (NoSuchAlgorithmException e) {
                keyProblem = "holds a key of a type this build does not support (Ed25519, ECDSA and RSA are)";
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                keyProblem = passphrase.missing ? "is encrypted and no passphrase is configured"
                        : passphrase.read != null ? "cannot be decrypted: wrong passphrase"
                        : "holds no usable private key (expected OpenSSH or PEM format; " + e.getClass().getSimpleName() + ")";
            }
            if (keyProblem == null && passphrase.missing) {
                keyProblem = "is encrypted and no passphrase is configured";
            }
            return keyProblem == null ? keys : List.of();
        }

        /** The passphrase as read for this attempt, so the caller can redact it; null when none was read. */
        String passphraseRead() {
            return passphrase.read;
        }

        /**
         * One clear reason for a failed operation, without the key, its passphrase or its content; null when
         * the failure is not one ssh explains (the caller then summarises the exception).
         */
        String explain(Throwable failure) {
            String host = hostOf(uri);
            StrictKnownHosts.Rejection rejection = knownHosts.rejection;
            if (rejection != null) {
                return rejection.describe(knownHosts.file, uri);
            }
            String key = keyFile == null ? "the default keys of " + SshSettings.userSshDirectory() : "the key " + keyFile;
            if (keyProblem != null) {
                return "the ssh key file " + keyFile + " " + keyProblem;
            }
            if (passphrase.missing) {
                return "the ssh key file " + (keyFile == null ? "in " + SshSettings.userSshDirectory() : keyFile)
                        + " is encrypted and no passphrase is configured";
            }
            if (passphrase.rejected) {
                return "the ssh key file " + (keyFile == null ? "in " + SshSettings.userSshDirectory() : keyFile)
                        + " cannot be decrypted: wrong passphrase";
            }
            if (timedOut) {
                return "no answer from " + host + " within " + timeout.toSeconds() + "s (timeout)";
            }
            Map<Throwable, Boolean> seen = new IdentityHashMap<>();
            for (Throwable c = failure; c != null && !seen.containsKey(c); c = c.getCause()) {
                seen.put(c, true);
                String message = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
                if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                    return "unknown host " + uri.getHost();
                }
                if (c instanceof ConnectException || c instanceof NoRouteToHostException) {
                    return "cannot connect to " + host + " (" + (c.getMessage() == null
                            ? c.getClass().getSimpleName() : c.getMessage().toLowerCase(Locale.ROOT)) + ")";
                }
                if (c instanceof SocketTimeoutException || message.contains("timeout") || message.contains("timed out")) {
                    return "no answer from " + host + " within " + timeout.toSeconds() + "s (timeout)";
                }
                if (message.contains("no more authentication methods") || message.contains("authentication failed")
                        || message.contains("cannot log in") || message.contains("auth fail")) {
                    return "the server " + host + " refused " + key + " for user " + user()
                            + " (authentication failed: is the public key authorised there, e.g. as a deploy key?)";
                }
                if (c instanceof GeneralSecurityException || message.contains("no keys to use")
                        || message.contains("key") && message.contains("load")) {
                    return "cannot use " + key + " (" + c.getClass().getSimpleName() + "; is it an OpenSSH or PEM private key?)";
                }
            }
            return null;
        }

        private String user() {
            return uri.getUser() != null ? uri.getUser() : System.getProperty("user.name");
        }

        @Override
        public void close() {
            factory.close();
        }
    }

    /** The passphrase file could not be read; the message names the file, never its content. */
    private static final class SecretFileProblem extends RuntimeException {
        SecretFileProblem(String message) {
            super(message);
        }
    }

    /** Interrupts the thread that set it unless cancelled in time. */
    private static final class Alarm {
        private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "drawbridge-ssh-timeout");
            thread.setDaemon(true);
            return thread;
        });

        private final Thread owner = Thread.currentThread();
        private boolean rung;
        private boolean cancelled;
        private ScheduledFuture<?> future;

        static Alarm set(Duration after) {
            Alarm alarm = new Alarm();
            alarm.future = CLOCK.schedule(alarm::ring, after.toMillis(), TimeUnit.MILLISECONDS);
            return alarm;
        }

        private synchronized void ring() {
            if (!cancelled) {
                rung = true;
                owner.interrupt();
            }
        }

        /** Stops the alarm; true when it rang (its interrupt is then cleared from the owner thread). */
        synchronized boolean cancel() {
            cancelled = true;
            future.cancel(false);
            if (rung) {
                Thread.interrupted();
            }
            return rung;
        }
    }

    /** The passphrase of the key: given once per key load, never retried, never kept beyond the attempt. */
    private static final class Passphrase implements KeyPasswordProvider {
        private final Supplier<String> supplier;
        private volatile String read;
        private volatile boolean missing;
        private volatile boolean rejected;

        Passphrase(Supplier<String> supplier) {
            this.supplier = supplier;
        }

        @Override
        public char[] getPassphrase(URIish uri, int attempt) {
            if (attempt > 0) {
                return null; // cancels loading this key
            }
            String value = get();
            return value == null ? null : value.toCharArray();
        }

        /** The passphrase, read now; null (and {@code missing}) when none is configured. */
        String get() {
            if (supplier == null) {
                missing = true;
                return null;
            }
            String value;
            try {
                value = supplier.get();
            } catch (RuntimeException e) {
                throw new SecretFileProblem(e.getMessage());
            }
            read = value;
            return value;
        }

        @Override
        public void setAttempts(int attempts) {
            // one attempt: a wrong passphrase does not get better by asking again
        }

        @Override
        public int getAttempts() {
            return 1;
        }

        @Override
        public boolean keyLoaded(URIish uri, int attempt, Exception error) {
            if (error != null) {
                rejected = true;
            }
            return false; // never retry
        }
    }

    /**
     * Accepts a host key only when {@code file} lists it for the host (OpenSSH's format: hashed names,
     * {@code [host]:port}, {@code @revoked}). Whatever the ssh configuration would say, an unknown or
     * changed key is refused and the file is never written.
     */
    private static final class StrictKnownHosts implements ServerKeyDatabase {
        private final Path file;
        private final OpenSshServerKeyDatabase known;
        private volatile Rejection rejection;

        StrictKnownHosts(Path file) {
            this.file = file;
            this.known = new OpenSshServerKeyDatabase(false, List.of(file));
        }

        @Override
        public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
            return known.lookup(connectAddress, remoteAddress, new Strict(config));
        }

        @Override
        public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                              Configuration config, CredentialsProvider provider) {
            Strict strict = new Strict(config);
            if (known.accept(connectAddress, remoteAddress, serverKey, strict, null)) {
                return true;
            }
            List<PublicKey> listed = known.lookup(connectAddress, remoteAddress, strict);
            Rejection.Kind kind = listed.isEmpty() ? Rejection.Kind.UNKNOWN
                    : listed.stream().anyMatch(k -> KeyUtils.compareKeys(k, serverKey)) ? Rejection.Kind.REVOKED
                    : Rejection.Kind.CHANGED;
            rejection = new Rejection(kind, connectAddress, KeyUtils.getKeyType(serverKey),
                    KeyUtils.getFingerPrint(serverKey));
            return false;
        }

        /** Why a host key was refused. */
        record Rejection(Kind kind, String host, String keyType, String fingerprint) {
            enum Kind { UNKNOWN, CHANGED, REVOKED }

            String describe(Path file, URIish uri) {
                String offered = keyType + " key " + fingerprint;
                return switch (kind) {
                    case UNKNOWN -> "host key verification failed: " + host + " is not in the known_hosts file " + file
                            + " (it offered the " + offered + "); add the host's key after checking that fingerprint, e.g. "
                            + keyscan(uri) + " >> " + file;
                    case CHANGED -> "host key verification failed: the host key of " + host + " does not match the key in "
                            + file + " (it offered the " + offered + "); it may have been replaced, or someone may be "
                            + "intercepting the connection: check the new key before changing the file";
                    case REVOKED -> "host key verification failed: " + host + " offered the " + offered
                            + ", which is marked @revoked in " + file;
                };
            }
        }

        /** The caller's configuration, with strict checking and only the given file. */
        private record Strict(Configuration config) implements Configuration {
            @Override
            public List<String> getUserKnownHostsFiles() {
                return List.of();
            }

            @Override
            public List<String> getGlobalKnownHostsFiles() {
                return List.of();
            }

            @Override
            public StrictHostKeyChecking getStrictHostKeyChecking() {
                return StrictHostKeyChecking.REQUIRE_MATCH;
            }

            @Override
            public boolean getHashKnownHosts() {
                return false;
            }

            @Override
            public String getUsername() {
                return config.getUsername();
            }
        }
    }
}
