package dev.drawbridge.render;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteReferencesTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://github.com/org/repo//deploy?ref=v1", "http://example.com/all.yaml",
            "git::https://example.com/repo.git", "git@github.com:org/repo.git", "ssh://git@host/repo",
            "github.com/org/repo", "GitHub.com/org/repo", "gitlab.com/org/repo", "bitbucket.org/org/repo",
            "deploy.example.com/org/repo//path", "registry.internal:8443/org/repo//x", "repo?ref=main",
            "user@host.example.com:org/repo.git", "file:///etc/kubernetes", "example.io/org/repo",
            "HTTPS://example.com/p.yaml", " https://example.com/p.yaml ", "s3::https://bucket.s3.amazonaws.com/x",
            "gcs::https://www.googleapis.com/storage/v1/b/x", "hg::http://example.com/repo"})
    void recognisesRemoteTargets(String entry) {
        assertThat(RemoteReferences.isRemote(entry)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"deployment.yaml", "../../base", "./overlays/prod", "base.v2", "../components/otel",
            "crds/kafka.strimzi.io_kafkas.yaml", "sub/dir/file.yml", "namespace.yaml", "run.sh", "app.properties",
            "config.json", "settings.env", "../scripts/entrypoint.sh"})
    void acceptsLocalPaths(String entry) {
        assertThat(RemoteReferences.isRemote(entry)).isFalse();
    }

    @Test
    void autoDetectsKustomizeOrFallsBackToKubectl() {
        List<String> command = new KustomizeProcess(RenderSettings.defaults()).command();
        assertThat(command).satisfiesAnyOf(
                c -> assertThat(c.get(0)).endsWith("/kustomize"),
                c -> assertThat(c).hasSize(2).last().isEqualTo("kustomize"));
        assertThat(new KustomizeProcess(RenderSettings.defaults().withCommand(List.of("my-kustomize", "build"))).command())
                .containsExactly("my-kustomize", "build");
    }

    @Test
    void printsDurationsAndSizesForHumans() {
        assertThat(KustomizeProcess.human(java.time.Duration.ofSeconds(60))).isEqualTo("60s");
        assertThat(KustomizeProcess.human(java.time.Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(KustomizeProcess.human(java.time.Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(KustomizeProcess.humanBytes(64L * 1024 * 1024)).isEqualTo("64 MiB");
    }
}
