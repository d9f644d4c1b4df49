package dev.drawbridge.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageReferenceTest {

    private static final String HEX = "fd8d9aa63ba2f0982b5304e1ee8d3b90a210bc1ffb5314d980eb6962f1a9715d";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "nginx,                                  docker.io/library/nginx:latest",
            "nginx:1.27,                             docker.io/library/nginx:1.27",
            "library/nginx,                          docker.io/library/nginx:latest",
            "docker.io/nginx,                        docker.io/library/nginx:latest",
            "index.docker.io/nginx,                  docker.io/library/nginx:latest",
            "registry-1.docker.io/bitnami/redis:7,   docker.io/bitnami/redis:7",
            "otel/opentelemetry-collector-contrib:0.157.0, docker.io/otel/opentelemetry-collector-contrib:0.157.0",
            "localhost/x,                            localhost/x:latest",
            "localhost:5000/x,                       localhost:5000/x:latest",
            "localhost:5000,                         docker.io/library/localhost:5000",
            "[::1]:5000/team/app:v1,                 [::1]:5000/team/app:v1",
            "127.0.0.1:5000/app,                     127.0.0.1:5000/app:latest",
            "Harbor.Example.com/shop/api:1.4.2,      harbor.example.com/shop/api:1.4.2",
            "harbor.example.com:8443/shop/api,       harbor.example.com:8443/shop/api:latest",
            "ghcr.io/stefanprodan/podinfo:6.14.1,    ghcr.io/stefanprodan/podinfo:6.14.1",
            "a/b__c/d-e--f/g.h:V_1.0-rc,             docker.io/a/b__c/d-e--f/g.h:V_1.0-rc",
    })
    void normalisesLikeDocker(String input, String normalized) {
        assertThat(ImageReference.parse(input).normalized()).isEqualTo(normalized);
    }

    @Test
    void keepsTagAndDigestTogether() {
        ImageReference ref = ImageReference.parse("busybox:1.38.0@sha256:" + HEX);
        assertThat(ref.host()).isEqualTo("docker.io");
        assertThat(ref.repository()).isEqualTo("library/busybox");
        assertThat(ref.tag()).isEqualTo("1.38.0");
        assertThat(ref.digest()).isEqualTo(Digest.of("sha256:" + HEX));
        assertThat(ref.normalized()).isEqualTo("docker.io/library/busybox:1.38.0@sha256:" + HEX);
    }

    @Test
    void digestOnlyHasNoTag() {
        ImageReference ref = ImageReference.parse("harbor.example.com:8443/shop/api@sha256:" + HEX);
        assertThat(ref.tag()).isNull();
        assertThat(ref.pinnedDigest()).contains(Digest.of("sha256:" + HEX));
        assertThat(ref.normalized()).isEqualTo("harbor.example.com:8443/shop/api@sha256:" + HEX);
        assertThat(ref.pinned(ref.digest())).isEqualTo("harbor.example.com:8443/shop/api@sha256:" + HEX);
    }

    @Test
    void acceptsSha512Digests() {
        String hex = "a".repeat(128);
        assertThat(ImageReference.parse("x/y@sha512:" + hex).digest().algorithm()).isEqualTo("sha512");
    }

    @Test
    void uppercaseFirstSegmentIsAHostAsInDistribution() {
        ImageReference ref = ImageReference.parse("Registry/app");
        assertThat(ref.host()).isEqualTo("registry");
        assertThat(ref.repository()).isEqualTo("app");
    }

    @Test
    void twoSpellingsOfOneImageNormaliseAlike() {
        assertThat(ImageReference.parse("nginx").normalized())
                .isEqualTo(ImageReference.parse("docker.io/library/nginx:latest").normalized())
                .isEqualTo(ImageReference.parse("index.docker.io/library/nginx").normalized());
    }

    static java.util.stream.Stream<String> malformed() {
        return java.util.stream.Stream.of(
            "Nginx",
            "docker.io/Library/nginx",
            "nginx:",
            ":tag",
            "a@sha256:short",
            "a b",
            "http://x/y",
            "https://registry.example.com/app:1",
            "-nginx",
            "nginx-",
            "nginx:tag with space",
            "nginx@md5:0123456789abcdef0123456789abcdef",
            "nginx@sha256:" + HEX + "0",
            "nginx@SHA256:" + HEX,
            "${IMAGE}",
            "$(IMAGE)",
            "nginx/",
            "harbor.example.com//shop/api",
            "harbor.example.com/shop//api",
            "/nginx",
            "nginx:1.0:2.0",
            "nginx@",
            "nginx@sha256:" + HEX + "@sha256:" + HEX,
            " nginx",
            "nginx ",
            "nginx:-tag",
            "a..b",
            "host_name.example.com/app",
            "harbor.example.com:port/app",
            "[::1/app",
            "nginx:" + "t" + "a".repeat(128),
            HEX,
            "ngïnx");
    }

    @ParameterizedTest(name = "refuses \"{0}\"")
    @MethodSource("malformed")
    void refusesMalformedReferenceNamingTheInput(String input) {
        assertThatThrownBy(() -> ImageReference.parse(input))
                .isInstanceOf(InvalidImageReferenceException.class)
                .hasMessageContaining("\"" + input + "\"")
                .satisfies(e -> assertThat(((InvalidImageReferenceException) e).input()).isEqualTo(input));
    }

    @Test
    void refusesNameLongerThan255Characters() {
        String input = "harbor.example.com/" + "a".repeat(240);
        assertThatThrownBy(() -> ImageReference.parse(input))
                .isInstanceOf(InvalidImageReferenceException.class)
                .hasMessageContaining(input)
                .hasMessageContaining("255");
        assertThat(ImageReference.parse("harbor.example.com/" + "a".repeat(236)).repository()).hasSize(236);
    }

    @Test
    void refusesEmptyAndNull() {
        assertThatThrownBy(() -> ImageReference.parse("")).isInstanceOf(InvalidImageReferenceException.class);
        assertThatThrownBy(() -> ImageReference.parse(null)).isInstanceOf(InvalidImageReferenceException.class);
    }

    @Test
    void withDigestKeepsTheTagForReaders() {
        Digest d = Digest.of("sha256:" + HEX);
        assertThat(ImageReference.parse("harbor.example.com/shop/api:1.4.2").withDigest(d).normalized())
                .isEqualTo("harbor.example.com/shop/api:1.4.2@sha256:" + HEX);
    }
}
