package dev.drawbridge.render;

import dev.drawbridge.source.Checkout;
import dev.drawbridge.source.GitRemote;
import dev.drawbridge.source.JGitSource;
import dev.drawbridge.source.Revision;
import dev.drawbridge.testing.GitFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The checks made before Kustomize runs are skipped for a tree that differs from one that passed them only in
 * the contents of files that are not kustomizations, and made again for anything else.
 */
class ScanReuseTest {

    @TempDir
    Path temp;
    @TempDir
    Path outside;

    GitFixtures repo;
    GitRemote remote;
    JGitSource source = new JGitSource(Duration.ofSeconds(5), 3, false);
    /** A stand-in for kustomize that leaves a trace when it runs. */
    KustomizeRenderer renderer;

    @BeforeEach
    void setUp() {
        repo = GitFixtures.init(temp.resolve("repo"));
        remote = GitRemote.of(repo.url());
        renderer = new KustomizeRenderer(RenderSettings.defaults().withCommand(
                List.of("sh", "-c", "touch \"$0\"", trace().toString())));
        repo.write("app/kustomization.yaml", "resources: [deploy.yaml]\n");
        repo.write("app/deploy.yaml", Trees.deployment("api", "shop", "nginx:1"));
    }

    @AfterEach
    void close() {
        repo.close();
    }

    private Path trace() {
        return outside.resolve("kustomize-ran");
    }

    private Checkout commitAndCheckout() throws Exception {
        repo.commitAll("change");
        return source.checkout(remote, "main", temp.resolve("work"), "environment/dev");
    }

    /** Renders; true when Kustomize ran, false when the render was refused before it. */
    private boolean renders(Checkout checkout) throws Exception {
        Files.deleteIfExists(trace());
        Throwable thrown = catchThrowable(() -> renderer.render(checkout, "app"));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(RenderException.class);
            assertThat(trace()).doesNotExist();
            return false;
        }
        assertThat(trace()).exists();
        return true;
    }

    @Test
    void aChangedManifestIsRenderedWithoutScanningAgainAndAChangedKustomizationIsScanned() throws Exception {
        assertThat(renders(commitAndCheckout())).isTrue();

        repo.write("app/deploy.yaml", Trees.deployment("api", "shop", "nginx:2"));
        Checkout contentOnly = commitAndCheckout();
        assertThat(contentOnly.since().changedFiles()).containsExactly("app/deploy.yaml");
        assertThat(renders(contentOnly)).isTrue();

        repo.write("app/kustomization.yaml", "resources: [deploy.yaml, \"https://github.com/org/repo//deploy?ref=v1\"]\n");
        Checkout remoteBase = commitAndCheckout();
        assertThat(remoteBase.since()).as("reported as a content change").isNotNull();
        assertThat(renders(remoteBase)).as("a changed kustomization is scanned again").isFalse();
    }

    @Test
    void aNewSymlinkIsScannedEvenWhenTheOtherChangesAreContentOnly() throws Exception {
        assertThat(renders(commitAndCheckout())).isTrue();

        repo.write("app/deploy.yaml", Trees.deployment("api", "shop", "nginx:2"));
        Files.writeString(outside.resolve("secrets.yaml"), "kind: Secret\n");
        Files.createSymbolicLink(repo.dir().resolve("app/secrets.yaml"), outside.resolve("secrets.yaml"));
        Checkout withLink = commitAndCheckout();
        assertThat(withLink.since()).isNull();
        assertThat(renders(withLink)).isFalse();
    }

    @Test
    void theScanIsSkippedOnlyAfterTheEarlierRevisionPassedIt() throws Exception {
        Path tree = temp.resolve("tree");
        Trees.write(tree, "app/kustomization.yaml", "resources: [deploy.yaml]\n");
        Trees.write(tree, "app/deploy.yaml", "");
        Files.writeString(outside.resolve("x.yaml"), "kind: Secret\n");
        Files.createSymbolicLink(tree.resolve("app/escape.yaml"), outside.resolve("x.yaml"));
        String a = "a".repeat(40);
        String b = "b".repeat(40);
        String c = "c".repeat(40);

        // never scanned: scanned, and refused
        Checkout claimsA = new Checkout(new Revision("main", b), tree, new Checkout.Since(a, Set.of("app/deploy.yaml")));
        assertThat(renders(claimsA)).isFalse();
        // b was refused, so a tree said to differ from b in contents only is scanned too
        Checkout claimsB = new Checkout(new Revision("main", c), tree, new Checkout.Since(b, Set.of("app/deploy.yaml")));
        assertThat(renders(claimsB)).isFalse();
        // a local directory (no revision) is always scanned
        assertThat(renders(new Checkout(null, tree, new Checkout.Since(b, Set.of())))).isFalse();
    }

    @Test
    void theRendererTakesTheSourcesWordForWhatChanged() throws Exception {
        Path clean = temp.resolve("clean");
        Trees.write(clean, "app/kustomization.yaml", "resources: [deploy.yaml]\n");
        Trees.write(clean, "app/deploy.yaml", "");
        String a = "a".repeat(40);
        assertThat(renders(new Checkout(new Revision("main", a), clean, null))).isTrue();

        // what the scan would refuse, in a tree said to differ from a in the contents of one manifest: not scanned
        Path tree = temp.resolve("tree");
        Trees.write(tree, "app/kustomization.yaml", "resources: [deploy.yaml]\n");
        Trees.write(tree, "app/deploy.yaml", "");
        Files.writeString(outside.resolve("x.yaml"), "kind: Secret\n");
        Files.createSymbolicLink(tree.resolve("app/escape.yaml"), outside.resolve("x.yaml"));
        Checkout said = new Checkout(new Revision("main", "b".repeat(40)), tree, new Checkout.Since(a, Set.of("app/deploy.yaml")));
        assertThat(renders(said)).as("the scan was skipped").isTrue();
        assertThat(renders(new Checkout(new Revision("main", "c".repeat(40)), tree, null))).as("scanned").isFalse();
    }

    @Test
    void aChangedTransformerConfigurationIsScannedAgainThoughItIsNoKustomization() throws Exception {
        repo.write("app/kustomization.yaml", "resources: [deploy.yaml]\ntransformers: [labels.yaml]\n");
        repo.write("app/labels.yaml", "apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: l}\nlabels: {team: shop}\n");
        assertThat(renders(commitAndCheckout())).isTrue();

        repo.write("app/labels.yaml", "apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: p}\n"
                + "path: https://example.com/patch.yaml\n");
        Checkout changed = commitAndCheckout();
        assertThat(changed.since().changedFiles()).containsExactly("app/labels.yaml");
        assertThat(renders(changed)).as("the configuration the scan read changed: scanned again").isFalse();
    }
}
