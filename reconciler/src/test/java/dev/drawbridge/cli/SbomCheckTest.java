package dev.drawbridge.cli;

import dev.drawbridge.testing.HarborStandIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sbom.required} against Harbor, end to end: Harbor tells of the SBOMs it generates only when asked. */
class SbomCheckTest {

    @TempDir
    Path dir;

    static final String POLICY = CheckFixture.POLICY.replace("  exceptions:", "  sbom:\n    required: true\n  exceptions:");

    @Test
    void anImageWithoutAnSbomIsBlockedAndOneWithTheSbomHarborGeneratedPasses() throws Exception {
        try (CheckFixture f = new CheckFixture(dir)) {
            f.onMain("policies/production.yaml", POLICY);

            int blocked = f.check("--config", f.config().toString(), "--env", "production");
            assertThat(blocked).as(f.err.toString()).isEqualTo(1);
            assertThat(f.out.toString()).contains("sbom.present");

            HarborStandIn.Image image = f.registry.images().stream().filter(i -> i.tag().equals("1.4.2")).findFirst().orElseThrow();
            f.registry.generateSbom(image);
            f.out.getBuffer().setLength(0);
            int passed = f.check("--config", f.config().toString(), "--env", "production");
            assertThat(passed).as(f.out + "\n" + f.err).isZero();
            assertThat(f.out.toString()).doesNotContain("sbom.present");
        }
    }
}
