package dev.drawbridge.reconcile;

import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.source.BranchFetch;
import dev.drawbridge.source.Checkout;
import dev.drawbridge.source.GitRemote;
import dev.drawbridge.source.GitSource;
import dev.drawbridge.source.JGitSource;
import dev.drawbridge.source.Revision;
import dev.drawbridge.source.SourceException;
import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy of an environment is read from the policy source once per revision of it. */
class PolicySourceTest {

    @TempDir
    Path dir;

    static String policy(String severity) {
        return """
                apiVersion: drawbridge.dev/v1alpha1
                kind: GatePolicy
                metadata: {name: dev}
                spec:
                  registries: {allow: ["harbor.example.com/**"]}
                  scan: {required: true, blockSeverities: [%s]}
                """.formatted(severity);
    }

    @Test
    void aPolicyIsKeptPerEnvironmentHoweverManyThereAre() throws Exception {
        int environments = 100; // more than the 64 policies kept in all before: each was parsed again every time
        try (GitFixtures repo = GitFixtures.init(dir.resolve("repo"))) {
            StringBuilder list = new StringBuilder();
            for (int i = 0; i < environments; i++) {
                repo.write("policies/e" + i + ".yaml", policy("CRITICAL"));
                list.append("  - {name: e").append(i).append(", branch: env/e").append(i).append(", path: app}\n");
            }
            repo.commitAll("policies");
            Path file = dir.resolve("drawbridge.yaml");
            Files.writeString(file, "git: {url: " + repo.url() + "}\nenvironments:\n" + list);
            DrawbridgeConfig config = new ConfigLoader().load(file);
            Counting source = new Counting(new JGitSource());
            PolicySource policies = new PolicySource(source, dir.resolve("work"));

            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < environments; i++) {
                    assertThat(policies.load(config, EnvironmentName.of("e" + i)).ok()).isTrue();
                }
            }

            assertThat(source.reads).isEqualTo(environments);
        }
    }

    @Test
    void aPolicyIsReadOncePerRevisionAndAFailedReadIsTriedAgain() throws Exception {
        try (GitFixtures repo = GitFixtures.init(dir.resolve("repo"))) {
            repo.write("policies/dev.yaml", policy("CRITICAL"));
            String first = repo.commitAll("policy");
            Path file = dir.resolve("drawbridge.yaml");
            Files.writeString(file, """
                    git: {url: %s}
                    environments:
                      - {name: dev, branch: env/dev, path: app}
                    """.formatted(repo.url()));
            DrawbridgeConfig config = new ConfigLoader().load(file);
            Counting source = new Counting(new JGitSource());
            PolicySource policies = new PolicySource(source, dir.resolve("work"));

            PolicySource.Loaded loaded = policies.load(config, EnvironmentName.of("dev"));
            assertThat(loaded.ok()).isTrue();
            assertThat(loaded.revision()).isEqualTo(first);
            assertThat(policies.load(config, EnvironmentName.of("dev"))).isSameAs(loaded);
            assertThat(source.reads).isEqualTo(1);

            repo.write("policies/dev.yaml", policy("HIGH"));
            String second = repo.commitAll("stricter");
            PolicySource.Loaded stricter = policies.load(config, EnvironmentName.of("dev"));
            assertThat(stricter.revision()).isEqualTo(second);
            assertThat(stricter.policy()).isNotEqualTo(loaded.policy());
            assertThat(source.reads).isEqualTo(2);

            // a policy that does not validate stays an error at that revision
            repo.write("policies/dev.yaml", "kind: GatePolicy\nspec: {unknown: 1}\n");
            repo.commitAll("broken");
            assertThat(policies.load(config, EnvironmentName.of("dev")).ok()).isFalse();
            assertThat(policies.load(config, EnvironmentName.of("dev")).ok()).isFalse();
            assertThat(source.reads).isEqualTo(3);

            // a read that failed is not remembered
            repo.write("policies/dev.yaml", policy("MEDIUM"));
            repo.commitAll("fixed");
            source.failNextRead = true;
            PolicySource.Loaded failed = policies.load(config, EnvironmentName.of("dev"));
            assertThat(failed.ok()).isFalse();
            assertThat(failed.errors()).singleElement().asString().startsWith("policy source: ");
            assertThat(policies.load(config, EnvironmentName.of("dev")).ok()).isTrue();
            assertThat(source.reads).isEqualTo(5);
        }
    }

    /** Counts the policy files read from Git; can fail the next read. */
    static final class Counting implements GitSource {
        final GitSource delegate;
        int reads;
        boolean failNextRead;

        Counting(GitSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<byte[]> readFile(GitRemote remote, Revision revision, String path, long maxBytes, Path workDir)
                throws SourceException {
            reads++;
            if (failNextRead) {
                failNextRead = false;
                throw new SourceException(remote.redactedUrl(), revision.branch(), "connection reset");
            }
            return delegate.readFile(remote, revision, path, maxBytes, workDir);
        }

        @Override
        public Checkout checkout(GitRemote remote, String branch, Path workDir) throws SourceException {
            return delegate.checkout(remote, branch, workDir);
        }

        @Override
        public BranchFetch fetch(GitRemote remote, String branch, Path workDir) throws SourceException {
            return delegate.fetch(remote, branch, workDir);
        }

        @Override
        public Checkout materialise(GitRemote remote, Revision revision, Path workDir) throws SourceException {
            return delegate.materialise(remote, revision, workDir);
        }

        @Override
        public Optional<MergeBase> mergeBase(GitRemote remote, String sha, String otherSha, Path workDir)
                throws SourceException {
            return delegate.mergeBase(remote, sha, otherSha, workDir);
        }

        @Override
        public boolean contains(GitRemote remote, String sha, String ancestor, Path workDir) throws SourceException {
            return delegate.contains(remote, sha, ancestor, workDir);
        }

        @Override
        public Map<String, String> listRemoteRefs(GitRemote remote, String pattern) throws SourceException {
            return delegate.listRemoteRefs(remote, pattern);
        }
    }
}
