package dev.drawbridge.cli;

import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.testing.RequestTrap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end through the commands: content Git did not review never reaches the cluster. A URL in a
 * kustomization is refused before Kustomize runs (nothing fetched, nothing applied, nothing pruned), and an
 * image mounted as a volume goes through the gate like a container's.
 */
class UnreviewedContentTest {

    @TempDir
    Path dir;

    static final String EXTRA = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: shop}\n";

    @Test
    void checkRefusesAPatchFromAUrlAndTheUrlIsNeverRequested() throws Exception {
        try (CheckFixture f = new CheckFixture(dir); RequestTrap trap = RequestTrap.start()) {
            String url = trap.url("patch.yaml");
            f.onBranch("app/kustomization.yaml", CheckFixture.KUSTOMIZATION + "patches:\n  - path: " + url + "\n");

            int exit = f.check(BadInputsTest.defaults(f));

            assertThat(exit).as(f.err.toString()).isEqualTo(2);
            assertThat(f.err.toString()).contains("render: RENDER_REMOTE_REFUSED: app/kustomization.yaml:6: patches[0].path:"
                    + " remote reference \"" + url + "\" refused: only paths inside the repository are rendered");
            assertThat(trap.requests()).isEmpty();
        }
    }

    @Test
    void checkRefusesAUrlReachedThroughANestedComponentAndTheUrlIsNeverRequested() throws Exception {
        try (CheckFixture f = new CheckFixture(dir); RequestTrap trap = RequestTrap.start()) {
            String url = trap.url("env");
            f.onBranch("components/outer/kustomization.yaml",
                    "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents: [../inner]\n");
            f.onBranch("components/inner/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
                    + "configMapGenerator:\n  - name: settings\n    envs: [\"" + url + "\"]\n");
            f.onBranch("app/kustomization.yaml", CheckFixture.KUSTOMIZATION + "components: [../components/outer]\n");

            int exit = f.check(BadInputsTest.defaults(f));

            assertThat(exit).as(f.err.toString()).isEqualTo(2);
            assertThat(f.err.toString()).contains("RENDER_REMOTE_REFUSED: components/inner/kustomization.yaml:5:"
                    + " configMapGenerator[0].envs[0]: remote reference \"" + url + "\" refused");
            assertThat(trap.requests()).isEmpty();
        }
    }

    @Test
    void reconcileAppliesAndPrunesNothingWhenTheRenderIsRefused() throws Exception {
        try (CheckFixture f = new CheckFixture(dir); ApplyingMockServer cluster = ApplyingMockServer.start();
             RequestTrap trap = RequestTrap.start()) {
            Path config = f.config(Files.readString(f.config()) + "    cluster: {kubeconfig: "
                    + cluster.writeKubeconfig(dir.resolve("kubeconfig")) + ", context: mock}\n");
            f.onBranch("app/extra.yaml", EXTRA);
            f.onBranch("app/kustomization.yaml", CheckFixture.KUSTOMIZATION + "  - extra.yaml\n");
            assertThat(reconcile(f, config)).as(f.err.toString()).isZero();
            assertThat(cluster.client().configMaps().inNamespace("shop").withName("extra").get()).isNotNull();

            // extra.yaml leaves Git (pruning would delete it) in the same commit that adds a patch from a URL
            String url = trap.url("patch.yaml");
            f.onBranch("app/kustomization.yaml", CheckFixture.KUSTOMIZATION
                    + "patches:\n  - path: " + url + "\n    target: {kind: Deployment}\n");
            cluster.clearRequests();

            int refused = reconcile(f, config);

            assertThat(refused).isEqualTo(2);
            assertThat(f.err.toString()).contains("production: RENDER_REMOTE_REFUSED:", "patches[0].path: remote reference \""
                    + url + "\" refused");
            assertThat(trap.requests()).isEmpty();
            assertThat(cluster.writes()).as("only the decision record is written")
                    .allMatch(c -> c.path().contains("/decisionrecords"));
            assertThat(cluster.client().configMaps().inNamespace("shop").withName("extra").get()).as("not pruned").isNotNull();
            assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("api").get()).isNotNull();
        }
    }

    @Test
    void checkBlocksAnUnscannedImageUsedOnlyAsAnImageVolume() throws Exception {
        try (CheckFixture f = new CheckFixture(dir)) {
            f.registry.push("prod/shop/models", "7", Instant.now().minus(Duration.ofDays(1)), null, null);
            f.onBranch("app/deployment.yaml", CheckFixture.DEPLOYMENT.formatted(CheckFixture.IMAGE)
                    + "      volumes:\n        - name: models\n"
                    + "          image: {reference: \"harbor.example.com/prod/shop/models:7\"}\n");

            int exit = f.check("--config", f.config().toString(), "--env", "production");

            assertThat(exit).as(f.err + "\n" + f.out).isEqualTo(1);
            assertThat(f.out.toString()).contains("harbor.example.com/prod/shop/models:7", "scan.present")
                    .contains("decision: BLOCK");
        }
    }

    @Test
    void reconcilePinsAnImageVolumeToItsVerifiedDigest() throws Exception {
        try (CheckFixture f = new CheckFixture(dir); ApplyingMockServer cluster = ApplyingMockServer.start()) {
            var models = f.registry.push("prod/shop/models", "7", Instant.now().minus(Duration.ofDays(1)), "Success",
                    Instant.now().minusSeconds(600));
            f.onBranch("app/deployment.yaml", CheckFixture.DEPLOYMENT.formatted(CheckFixture.IMAGE)
                    + "      volumes:\n        - name: models\n"
                    + "          image: {reference: \"harbor.example.com/prod/shop/models:7\"}\n");
            Path config = f.config(Files.readString(f.config()) + "    cluster: {kubeconfig: "
                    + cluster.writeKubeconfig(dir.resolve("kubeconfig")) + ", context: mock}\n");

            assertThat(reconcile(f, config)).as(f.err.toString()).isZero();

            assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("api").get()
                    .getSpec().getTemplate().getSpec().getVolumes().get(0).getImage().getReference())
                    .isEqualTo("harbor.example.com/prod/shop/models@" + models.digest());
        }
    }

    private static int reconcile(CheckFixture f, Path config) {
        return Main.run(new PrintWriter(f.out, true), new PrintWriter(f.err, true),
                "reconcile", "--config", config.toString(), "--once");
    }
}
