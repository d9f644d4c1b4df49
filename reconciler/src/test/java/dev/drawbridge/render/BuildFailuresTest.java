package dev.drawbridge.render;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Failures of the Kustomize process itself: exit codes, timeouts, output limits, bad output. */
class BuildFailuresTest {

    @TempDir
    Path root;

    private RenderException renderFails(KustomizeRenderer renderer) {
        Trees.write(root, "app/kustomization.yaml", "resources: [deploy.yaml]\n");
        Trees.write(root, "app/deploy.yaml", Trees.deployment("api", "shop", "nginx"));
        return catchThrowableOfType(RenderException.class, () -> renderer.render(Trees.checkout(root), "app"));
    }

    private static KustomizeRenderer fake(String script) {
        return new KustomizeRenderer(RenderSettings.defaults().withCommand(List.of("sh", "-c", script, "sh")));
    }

    @Test
    void reportsKustomizeErrorForAMissingResourceWithItsStderr() {
        Trees.write(root, "app/kustomization.yaml", "resources:\n- deploy.yaml\n- missing.yaml\n");
        Trees.write(root, "app/deploy.yaml", Trees.deployment("api", "shop", "nginx"));

        RenderException e = catchThrowableOfType(RenderException.class,
                () -> new KustomizeRenderer().render(Trees.checkout(root), "app"));

        assertThat(e).isNotNull();
        assertThat(e.file()).isEqualTo("app/kustomization.yaml");
        assertThat(e.getMessage()).startsWith("app/kustomization.yaml: accumulating resources")
                .contains("missing.yaml").doesNotContain("\n").doesNotContain(root.toString());
        assertThat(e.stderr()).contains("missing.yaml");
    }

    @Test
    void takesTheErrorLineOfKustomizeAndSkipsWarnings() {
        RenderException e = renderFails(fake("""
                echo '# Warning: commonLabels is deprecated' >&2
                echo 'Error: accumulating resources: dial tcp: lookup github.com: no such host' >&2
                exit 1
                """));
        assertThat(e.problem()).isEqualTo("accumulating resources: dial tcp: lookup github.com: no such host");
        assertThat(e.getMessage()).isEqualTo("app/kustomization.yaml: " + e.problem());
        assertThat(e.stderr()).startsWith("# Warning: commonLabels");
    }

    @Test
    void takesTheErrOfKubectlKlogLines() {
        assertThat(KustomizeProcess.firstError("E1129 09:01:29.872325    3340 run.go:72] \"command failed\" "
                + "err=\"unable to find one of 'kustomization.yaml' in directory \\\"x\\\"\"", 1))
                .isEqualTo("unable to find one of 'kustomization.yaml' in directory \"x\"");
    }

    @Test
    void takesTheMultiLineErrOfKubectlKlog() {
        String stderr = """
                E1129 09:13:49.606571   15983 run.go:72] "command failed" err=<
                \taccumulating resources: accumulation err='accumulating resources from 'https://github.com/x/y': \
                dial tcp: lookup github.com on 10.255.255.53:53: no such host': failed to run '/usr/bin/git fetch'
                \t: exit status 128
                 >
                """;
        assertThat(KustomizeProcess.firstError(stderr, 1)).isEqualTo("accumulating resources: accumulation err="
                + "'accumulating resources from 'https://github.com/x/y': dial tcp: lookup github.com on 10.255.255.53:53: "
                + "no such host': failed to run '/usr/bin/git fetch' : exit status 128");
    }

    @Test
    void aRemoteBaseThatSlipsThroughFailsOfflineWithAClearError() throws Exception {
        // Bypasses the scanner on purpose, as if detection had missed the entry: the build itself must fail
        // clearly. The .invalid TLD never resolves, online or offline.
        Trees.write(root, "app/kustomization.yaml", "resources:\n- https://drawbridge-test.invalid/org/repo//deploy?ref=v1\n");
        KustomizeProcess process = new KustomizeProcess(RenderSettings.defaults().withTimeout(Duration.ofSeconds(30)));

        RenderException e = catchThrowableOfType(RenderException.class,
                () -> process.build(root.toRealPath(), root.toRealPath().resolve("app"), "app/kustomization.yaml"));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("app/kustomization.yaml: ").contains("drawbridge-test.invalid")
                .doesNotContain("\n").doesNotContain("run.go");
        assertThat(e.stderr()).isNotBlank();
    }

    @Test
    void namesTheExitStatusWhenStderrIsEmpty() {
        assertThat(renderFails(fake("exit 3")).problem()).isEqualTo("kustomize exited with status 3");
    }

    @Test
    void killsABuildThatTakesTooLong() {
        KustomizeRenderer renderer = new KustomizeRenderer(RenderSettings.defaults()
                .withCommand(List.of("sh", "-c", "sleep 120", "sh")).withTimeout(Duration.ofMillis(300)));
        long start = System.nanoTime();

        RenderException e = renderFails(renderer);

        assertThat(e.getMessage()).isEqualTo("kustomize build timed out after 300ms");
        // killed, not waited for: far sooner than the build's two minutes, however loaded the machine
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void killsABuildWhoseOutputExceedsTheLimit() {
        KustomizeRenderer renderer = new KustomizeRenderer(RenderSettings.defaults()
                .withCommand(List.of("yes")).withMaxOutputBytes(1024 * 1024));
        long start = System.nanoTime();

        RenderException e = renderFails(renderer);

        assertThat(e.getMessage()).isEqualTo("kustomize build output exceeds 1 MiB");
        // killed at the limit: yes(1) never ends by itself
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void reportsACommandThatCannotRun() {
        KustomizeRenderer renderer = new KustomizeRenderer(RenderSettings.defaults()
                .withCommand(List.of("/nonexistent/kustomize", "build")));
        assertThat(renderFails(renderer).getMessage()).startsWith("cannot run /nonexistent/kustomize build");
    }

    @Test
    void runsWithACleanedEnvironmentInTheCheckoutRoot() throws Exception {
        KustomizeRenderer renderer = fake("""
                cat <<EOF
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: env}
                data:
                  pwd: "$(pwd -P)"
                  vars: "$(env | cut -d= -f1 | grep -v '^_$' | grep -v '^PWD$' | grep -v '^SHLVL$' | sort | tr '\\n' ' ')"
                  home: "$HOME"
                  proxy: "$HTTPS_PROXY"
                EOF
                """);
        Trees.write(root, "app/kustomization.yaml", "resources: []\n");

        var objects = renderer.render(Trees.checkout(root), "app");

        assertThat(objects).singleElement().satisfies(o -> {
            assertThat(o.at("/data/pwd").asText()).isEqualTo(root.toRealPath().toString());
            assertThat(o.at("/data/vars").asText().strip()).isEqualTo("ALL_PROXY GIT_ALLOW_PROTOCOL GIT_TERMINAL_PROMPT HOME"
                    + " HTTPS_PROXY HTTP_PROXY PATH XDG_CONFIG_HOME all_proxy http_proxy https_proxy");
            assertThat(o.at("/data/proxy").asText()).as("a proxy nobody listens on").isEqualTo("http://127.0.0.1:1");
            assertThat(o.at("/data/home").asText()).doesNotStartWith(System.getProperty("user.home"));
        });
    }

    @Test
    void namesTheDocumentOfKustomizeOutputThatIsNotAnObject() {
        RenderException e = renderFails(fake("""
                printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: a}\\n---\\n- just\\n- a list\\n'
                """));
        assertThat(e.getMessage()).isEqualTo("kustomize output document 2 is not a mapping (Kubernetes object) but a sequence");
    }

    @Test
    void namesTheDocumentOfKustomizeOutputWithAnUnknownTag() {
        RenderException e = renderFails(fake("""
                printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: a}\\n---\\napiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: !Ref b}\\n'
                """));
        assertThat(e.getMessage()).startsWith("kustomize output document 2: ").contains("!Ref");
    }

    @Test
    void namesTheDocumentOfMalformedKustomizeOutput() {
        RenderException e = renderFails(fake("printf 'apiVersion: v1\\nkind: [\\n'"));
        assertThat(e.getMessage()).startsWith("kustomize output document 1: ");
    }
}
