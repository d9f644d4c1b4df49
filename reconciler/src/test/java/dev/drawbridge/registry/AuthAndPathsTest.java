package dev.drawbridge.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drawbridge.image.Digest;
import org.junit.jupiter.api.Test;

class AuthAndPathsTest {
    private static final Digest DIGEST = Digest.sha256(new byte[] {1});

    @Test
    void parsesABearerChallengeWithQuotedParameters() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/nginx:pull\"").orElseThrow();

        assertThat(c.isBearer()).isTrue();
        assertThat(c.realm()).isEqualTo("https://auth.docker.io/token");
        assertThat(c.service()).isEqualTo("registry.docker.io");
        assertThat(c.scope()).isEqualTo("repository:library/nginx:pull");
    }

    @Test
    void parsesABasicChallenge() {
        assertThat(AuthChallenge.parse("Basic realm=\"Registry Realm\"")).hasValueSatisfying(c -> {
            assertThat(c.isBasic()).isTrue();
            assertThat(c.realm()).isEqualTo("Registry Realm");
        });
        assertThat(AuthChallenge.parse("")).isEmpty();
    }

    @Test
    void splitsHarborProjectAndEncodesTheRestTwice() {
        assertThat(HarborScanSource.artifactPath("shop/api", DIGEST))
                .isEqualTo("/api/v2.0/projects/shop/repositories/api/artifacts/" + DIGEST);
        assertThat(HarborScanSource.artifactPath("prod/shop/api", DIGEST))
                .isEqualTo("/api/v2.0/projects/prod/repositories/shop%252Fapi/artifacts/" + DIGEST);
        assertThat(HarborScanSource.artifactPath("prod/a/b/c", DIGEST))
                .contains("/repositories/a%252Fb%252Fc/");
    }

    @Test
    void matchesPlatformsWithAndWithoutVariant() {
        assertThat(ArtifactInspector.matches("linux/arm64/v8", "linux/arm64")).isTrue();
        assertThat(ArtifactInspector.matches("linux/arm/v7", "linux/arm/v7")).isTrue();
        assertThat(ArtifactInspector.matches("linux/arm64", "linux/arm")).isFalse();
        assertThat(ArtifactInspector.matches("linux/arm/v6", "linux/arm/v7")).isFalse();
    }
}
