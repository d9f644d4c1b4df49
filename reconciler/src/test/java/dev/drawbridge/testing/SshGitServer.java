package dev.drawbridge.testing;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SSH Git server for tests: Apache MINA sshd on 127.0.0.1 at a random port, serving
 * {@code git-upload-pack} (fetch) and {@code git-receive-pack} (push) of one repository with JGit's
 * {@link UploadPack} and {@link ReceivePack}. Host key and client
 * keys are generated in the test (ECDSA P-256, which every JDK has); only the public keys given to
 * {@link #authorize} may log in, as user {@value #USER}.
 */
public final class SshGitServer implements AutoCloseable {

    public static final String USER = "git";
    private static final Pattern GIT_COMMAND = Pattern.compile("(git-upload-pack|git-receive-pack) '?/?([^']+?)'?");

    private final SshServer sshd;
    private final KeyPair hostKey;
    private final Set<PublicKey> authorized = ConcurrentHashMap.newKeySet();
    private volatile boolean stalled;

    private SshGitServer(Path gitDir) throws IOException {
        this.hostKey = newKeyPair();
        this.sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        // ECDH P-256 only: the client offers its usual list and negotiates it in ~0.1 s, where the
        // post-quantum hybrids it prefers take ~0.4 s per connection in pure Java
        sshd.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false,
                List.of(BuiltinDHFactories.ecdhp256), ServerBuilder.DH2KEX));
        sshd.setPublickeyAuthenticator((user, key, session) -> USER.equals(user)
                && authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setCommandFactory((channel, command) -> new GitCommand(command, gitDir, () -> stalled));
        sshd.start();
    }

    /** Serves the repository whose {@code .git} directory (or bare directory) is {@code gitDir}, at any path. */
    public static SshGitServer serve(Path gitDir) {
        try {
            return new SshGitServer(Files.isDirectory(gitDir.resolve(".git")) ? gitDir.resolve(".git") : gitDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return sshd.getPort();
    }

    /** {@code ssh://git@127.0.0.1:<port>/deploy.git} */
    public String url() {
        return "ssh://" + USER + "@127.0.0.1:" + port() + "/deploy.git";
    }

    /** The line of a {@code known_hosts} file that trusts this server's host key. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    /** From now on, authenticates and accepts commands but never answers them (a hung server). */
    public void stall() {
        stalled = true;
    }

    /** Lets the holder of this key log in. */
    public void authorize(PublicKey key) {
        authorized.add(key);
    }

    /** A new key pair, ECDSA P-256. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the private key in OpenSSH format, mode 0600; encrypted with {@code passphrase} unless null. */
    public static Path writePrivateKey(KeyPair key, Path file, String passphrase) {
        try {
            Files.createDirectories(file.getParent());
            OpenSSHKeyEncryptionContext encryption = null;
            if (passphrase != null) {
                encryption = new OpenSSHKeyEncryptionContext();
                encryption.setCipherName("AES");
                encryption.setCipherMode("CTR");
                encryption.setCipherType("256");
                encryption.setPassword(passphrase);
                encryption.setKdfRounds(1); // bcrypt's default 16 rounds cost ~0.5 s per write and read
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "drawbridge-test", encryption, out);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a {@code known_hosts} file holding {@code lines}. */
    public static Path writeKnownHosts(Path file, String... lines) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            sshd.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code git-upload-pack '<path>'} or {@code git-receive-pack '<path>'}: the served repository, whatever the path. */
    private static final class GitCommand implements Command {
        private final String command;
        private final Path gitDir;
        private final java.util.function.BooleanSupplier stalled;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        GitCommand(String command, Path gitDir, java.util.function.BooleanSupplier stalled) {
            this.command = command;
            this.gitDir = gitDir;
            this.stalled = stalled;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback exit) {
            this.exit = exit;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            if (stalled.getAsBoolean()) {
                return; // never a word, never an exit
            }
            Thread thread = new Thread(() -> run(env), "ssh-git-upload-pack");
            thread.setDaemon(true);
            thread.start();
        }

        private void run(Environment env) {
            Matcher m = GIT_COMMAND.matcher(command);
            if (!m.matches()) {
                fail("not supported by this test server: " + command);
                return;
            }
            try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
                if (m.group(1).equals("git-receive-pack")) {
                    new ReceivePack(repo).receive(in, out, err);
                } else {
                    UploadPack upload = new UploadPack(repo);
                    String protocol = env.getEnv().get("GIT_PROTOCOL");
                    if (protocol != null) {
                        upload.setExtraParameters(List.of(protocol.split(":")));
                    }
                    upload.upload(in, out, err);
                }
                out.flush();
                exit.onExit(0);
            } catch (IOException | RuntimeException e) {
                fail(String.valueOf(e.getMessage()));
            }
        }

        private void fail(String message) {
            try {
                err.write((message + "\n").getBytes(StandardCharsets.UTF_8));
                err.flush();
            } catch (IOException ignored) {
                // the client went away
            }
            exit.onExit(1, message);
        }

        @Override
        public void destroy(ChannelSession channel) {
            // the upload thread ends with the channel's streams
        }
    }
}
