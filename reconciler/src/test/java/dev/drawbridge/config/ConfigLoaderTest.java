package dev.drawbridge.config;

import dev.drawbridge.registry.RegistrySettings;
import dev.drawbridge.report.forge.ForgeKind;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private DrawbridgeConfig fixture(String name) throws Exception {
        Path file = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/config/" + name)) {
            Files.write(file, in.readAllBytes());
        }
        return new ConfigLoader().load(file);
    }

    @Test
    void readsEveryKeyOfAFullConfiguration() throws Exception {
        DrawbridgeConfig config = fixture("full.yaml");

        assertThat(config.source()).isEqualTo(dir.resolve("full.yaml").toString());
        assertThat(config.git()).isEqualTo(new GitConfig("https://git.example.com/platform/deploy.git", "drawbridge",
                new SecretFile(dir.resolve("secrets/git-token")), Duration.ofMinutes(2)));
        assertThat(config.policies()).isEqualTo(new PoliciesConfig("https://git.example.com/security/policies.git",
                "release", "gate/policies", "policy-reader", new SecretFile(Path.of("/var/run/secrets/policy-token"))));
        assertThat(config.registries()).containsExactly(
                new RegistryConfig("harbor.example.com", RegistrySettings.Type.HARBOR,
                        URI.create("https://harbor-api.example.com"), "robot$drawbridge",
                        new SecretFile(Path.of("/var/run/secrets/harbor")), false, 4, Duration.ofSeconds(15)),
                new RegistryConfig("127.0.0.1:5000", RegistrySettings.Type.OCI, URI.create("http://127.0.0.1:5000"),
                        null, null, true, 8, Duration.ofSeconds(10)));
        assertThat(config.forge()).isEqualTo(new ForgeConfig(ForgeConfig.Type.GITLAB,
                URI.create("https://gitlab.example.com/api/v4"), "platform/deploy",
                new SecretFile(Path.of("/var/run/secrets/forge-token")),
                new SecretFile(Path.of("/var/run/secrets/webhook-secret"))));
        assertThat(config.dashboardUrl()).isEqualTo(URI.create("https://drawbridge.example.com"));
        assertThat(config.cache()).isEqualTo(new CacheConfig(Duration.ofMinutes(10)));
        assertThat(config.render()).isEqualTo(new RenderConfig(List.of("kubectl", "kustomize"), Duration.ofMinutes(2), 16L << 20));
        assertThat(config.inspect().extraImagePaths()).containsExactly(
                new dev.drawbridge.image.ExtraImagePath("argoproj.io/v1alpha1", "Rollout", "spec.template.spec.containers[*].image"),
                new dev.drawbridge.image.ExtraImagePath(null, "CronTab", "spec.image"));
        assertThat(config.environments()).containsExactly(
                new EnvironmentConfig(EnvironmentName.of("dev"), "env/dev", "manifests-example/overlays/dev",
                        new ClusterConfig(dir.resolve("kube/dev.yaml"), "dev"), false, Duration.ofSeconds(30), null,
                        true, true, Duration.ofMinutes(3), List.of("linux/amd64", "linux/arm64/v8")),
                new EnvironmentConfig(EnvironmentName.of("acceptance"), "env/acceptance", "manifests-example/overlays/acceptance",
                        ClusterConfig.DEFAULT, true, Duration.ofMinutes(2), EnvironmentName.of("dev"), false, false,
                        Duration.ofMinutes(5), List.of()),
                new EnvironmentConfig(EnvironmentName.of("production"), "env/production", "manifests-example/overlays/production",
                        ClusterConfig.DEFAULT, true, Duration.ofMinutes(2), EnvironmentName.of("acceptance"), false, false,
                        Duration.ofMinutes(5), List.of()));
        assertThat(config.environmentNames()).map(EnvironmentName::value).containsExactly("dev", "acceptance", "production");
        assertThat(config.environment(EnvironmentName.of("acceptance"))).map(EnvironmentConfig::promoteFrom).contains(EnvironmentName.of("dev"));
        assertThat(config.notifications()).containsExactly(
                new NotificationConfig("shop-slack", NotificationConfig.Type.SLACK,
                        new SecretFile(dir.resolve("secrets/slack-url")), List.of("team-shop"), List.of(EnvironmentName.of("production"))),
                new NotificationConfig("audit", NotificationConfig.Type.WEBHOOK,
                        new SecretFile(Path.of("/var/run/secrets/audit-url")), List.of(), List.of()));
        assertThat(config.drift().ignoreManagers()).containsExactly("kube-controller-manager", "kubelet", "keda-operator");
    }

    @Test
    void fillsInTheDefaults() throws Exception {
        DrawbridgeConfig config = fixture("minimal.yaml");

        SecretFile gitToken = new SecretFile(dir.resolve("git-token"));
        assertThat(config.git()).isEqualTo(new GitConfig("git@git.example.com:platform/deploy.git", null, gitToken,
                Duration.ofMinutes(1)));
        assertThat(config.policies()).isEqualTo(new PoliciesConfig("git@git.example.com:platform/deploy.git", "main",
                "policies", null, gitToken));
        assertThat(config.registries()).isEmpty();
        assertThat(config.forge()).isEqualTo(ForgeConfig.NONE);
        assertThat(config.dashboardUrl()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(config.cache()).isEqualTo(new CacheConfig(Duration.ofMinutes(5)));
        assertThat(config.render()).isEqualTo(new RenderConfig(List.of(), Duration.ofSeconds(60), 64L << 20));
        assertThat(config.inspect().extraImagePaths()).isEmpty();
        assertThat(config.notifications()).isEmpty();
        assertThat(config.drift().ignoreManagers()).containsExactly("kube-controller-manager", "kube-scheduler", "kubelet");
        assertThat(config.environments()).containsExactly(new EnvironmentConfig(EnvironmentName.of("dev"), "env/dev", "overlays/dev",
                ClusterConfig.DEFAULT, true, Duration.ofMinutes(1), null, false, false, Duration.ofMinutes(5), List.of()));
    }

    @Test
    void readsThePromotionOfAnEnvironmentAndTheMergeMethod() throws Exception {
        DrawbridgeConfig config = new ConfigLoader().load("c.yaml", """
                git: {url: "file:///srv/git/deploy.git"}
                forge: {type: github, repository: platform/deploy, token-file: token, merge-method: squash}
                environments:
                  - {name: acceptance, branch: env/acceptance, path: a}
                  - {name: production, branch: env/production, path: p, promote-from: acceptance, promotion: auto-merge}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8), dir);

        assertThat(config.forge().mergeMethod()).isEqualTo(ForgeConfig.MergeMethod.SQUASH);
        assertThat(config.environment(EnvironmentName.of("production")).orElseThrow().promotion()).isEqualTo(EnvironmentConfig.Promotion.AUTO_MERGE);
        assertThat(config.environment(EnvironmentName.of("acceptance")).orElseThrow().promotion()).isEqualTo(EnvironmentConfig.Promotion.NONE);
        assertThat(fixture("minimal.yaml").forge().mergeMethod()).isEqualTo(ForgeConfig.MergeMethod.MERGE);
    }

    @Test
    void turnsTheForgeTypeIntoTheForgeKindTheReportersTalkTo() throws Exception {
        for (ForgeKind kind : ForgeKind.values()) {
            DrawbridgeConfig config = new ConfigLoader().load("c.yaml", ("""
                    git: {url: "file:///srv/git/deploy.git"}
                    forge: {type: %s, api-url: "https://forge.example.com/api", repository: platform/deploy, token-file: t}
                    environments: [{name: dev, branch: env/dev, path: .}]
                    """.formatted(kind.configName())).getBytes(java.nio.charset.StandardCharsets.UTF_8), dir);

            assertThat(config.forge().type().hasApi()).isTrue();
            assertThat(config.forge().type().kind()).isEqualTo(kind);
        }
        for (ForgeConfig.Type noApi : List.of(ForgeConfig.Type.GIT_NOTES, ForgeConfig.Type.NONE)) {
            assertThat(noApi.hasApi()).isFalse();
            assertThatThrownBy(noApi::kind).isInstanceOf(IllegalStateException.class).hasMessageContaining(noApi.configName());
        }
    }

    @Test
    void defaultsTheGithubApiAndTheRegistryUrl() throws Exception {
        DrawbridgeConfig config = new ConfigLoader().load("c.yaml", """
                git: {url: "file:///srv/git/deploy.git"}
                registries:
                  - {host: docker.io, type: oci}
                  - {host: harbor.example.com, type: harbor}
                forge: {type: github, repository: platform/deploy, token-file: token}
                environments: [{name: dev, branch: env/dev, path: .}]
                """.getBytes(), dir);
        assertThat(config.forge().apiUrl()).isEqualTo(URI.create("https://api.github.com"));
        assertThat(config.forge().tokenFile()).isEqualTo(new SecretFile(dir.resolve("token")));
        assertThat(config.registries()).extracting(RegistryConfig::url).containsExactly(
                URI.create("https://registry-1.docker.io"), URI.create("https://harbor.example.com"));
        assertThat(config.environments().get(0).path()).isEqualTo(".");
    }

    @Test
    void doesNotLendGitCredentialsToAnotherHost() throws Exception {
        DrawbridgeConfig config = new ConfigLoader().load("c.yaml", """
                git: {url: "https://git.example.com/deploy.git", username: bot, password-file: /s/git}
                policies: {url: "https://other.example.org/policies.git"}
                environments: [{name: dev, branch: env/dev, path: dev}]
                """.getBytes(), dir);
        assertThat(config.policies().username()).isNull();
        assertThat(config.policies().passwordFile()).isNull();
    }

    @Test
    void readsSshKeysAndLendsTheKeyOnlyToTheSameHost() throws Exception {
        DrawbridgeConfig config = new ConfigLoader().load("c.yaml", """
                git:
                  url: git@git.example.com:platform/deploy.git
                  ssh-key-file: secrets/deploy-key
                  ssh-key-passphrase-file: /run/secrets/deploy-key-passphrase
                  known-hosts-file: ~/ssh/known_hosts
                policies: {url: "ssh://git@git.example.com/security/policies.git"}
                environments: [{name: dev, branch: env/dev, path: dev}]
                """.getBytes(), dir);
        SshConfig git = new SshConfig(dir.resolve("secrets/deploy-key"),
                new SecretFile(Path.of("/run/secrets/deploy-key-passphrase")),
                Path.of(System.getProperty("user.home"), "ssh/known_hosts"));
        assertThat(config.git().ssh()).isEqualTo(git);
        assertThat(config.policies().ssh()).isEqualTo(git);

        DrawbridgeConfig elsewhere = new ConfigLoader().load("c.yaml", """
                git: {url: "git@git.example.com:platform/deploy.git", ssh-key-file: deploy-key, known-hosts-file: hosts}
                policies: {url: "ssh://git@git.example.com:2222/security/policies.git"}
                environments: [{name: dev, branch: env/dev, path: dev}]
                """.getBytes(), dir);
        assertThat(elsewhere.policies().ssh()).isEqualTo(new SshConfig(null, null, dir.resolve("hosts")));

        DrawbridgeConfig own = new ConfigLoader().load("c.yaml", """
                git: {url: "git@git.example.com:platform/deploy.git", ssh-key-file: deploy-key}
                policies: {ssh-key-file: policy-key, known-hosts-file: policy-hosts}
                environments: [{name: dev, branch: env/dev, path: dev}]
                """.getBytes(), dir);
        assertThat(own.policies().ssh()).isEqualTo(new SshConfig(dir.resolve("policy-key"), null, dir.resolve("policy-hosts")));
        assertThat(own.git().ssh()).isEqualTo(new SshConfig(dir.resolve("deploy-key"), null, null));
    }

    @Test
    void buildsRegistrySettingsThatReadThePasswordAtUse() throws Exception {
        Path secret = dir.resolve("harbor-password");
        DrawbridgeConfig config = new ConfigLoader().load("c.yaml", """
                git: {url: "https://git.example.com/deploy.git"}
                registries:
                  - {host: harbor.example.com, type: harbor, username: "robot$drawbridge", password-file: harbor-password}
                environments: [{name: dev, branch: env/dev, path: dev}]
                """.getBytes(), dir);
        RegistrySettings settings = config.registrySettings().get(0);
        assertThat(settings.host()).isEqualTo("harbor.example.com");
        assertThat(settings.type()).isEqualTo(RegistrySettings.Type.HARBOR);
        assertThat(settings.url()).isEqualTo(URI.create("https://harbor.example.com"));
        assertThat(settings.concurrency()).isEqualTo(8);

        assertThatThrownBy(() -> settings.password().get())
                .isInstanceOf(SecretFile.SecretFileException.class)
                .hasMessage("secret file " + secret + " does not exist");
        Files.writeString(secret, "s3cret\n");
        assertThat(settings.password().get()).isEqualTo("s3cret");
        Files.writeString(secret, "rotated\r\n");
        assertThat(settings.password().get()).isEqualTo("rotated");
        assertThat(settings.toString()).doesNotContain("rotated");
        assertThat(config.toString()).doesNotContain("rotated").contains("harbor-password");
    }

    @Test
    void refusesAnEmptySecretFileWithoutShowingContent() throws Exception {
        Path secret = dir.resolve("empty");
        Files.writeString(secret, "\n");
        assertThatThrownBy(() -> SecretFile.read(secret)).hasMessage("secret file " + secret + " is empty");
    }

    @Test
    void reportsAMissingConfigFile() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> new ConfigLoader().load(missing)).hasMessage(missing + ": no such file");
    }
}
