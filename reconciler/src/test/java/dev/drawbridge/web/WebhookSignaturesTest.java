package dev.drawbridge.web;

import dev.drawbridge.report.forge.ForgeKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignaturesTest {

    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    static final String GITHUB_SECRET = "It's a Secret to Everybody";
    /** GitHub's published test vector (docs: "Validating webhook deliveries"). */
    static final String GITHUB_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void acceptsGitHubsPublishedTestVector() {
        assertThat(WebhookSignatures.github(GITHUB_SECRET, HELLO, GITHUB_SIGNATURE)).isTrue();
        assertThat(WebhookSignatures.github(GITHUB_SECRET, HELLO, GITHUB_SIGNATURE.toUpperCase().replace("SHA256=", "sha256="))).isTrue();
    }

    @Test
    void refusesAGitHubSignatureOfAnotherBodySecretOrForm() {
        assertThat(WebhookSignatures.github(GITHUB_SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), GITHUB_SIGNATURE)).isFalse();
        assertThat(WebhookSignatures.github("another secret", HELLO, GITHUB_SIGNATURE)).isFalse();
        assertThat(WebhookSignatures.github(GITHUB_SECRET, HELLO, GITHUB_SIGNATURE.substring(7))).as("no sha256= prefix").isFalse();
        assertThat(WebhookSignatures.github(GITHUB_SECRET, HELLO, "sha1=757107ea0eb2509fc211221cce984b8a37570b6d")).isFalse();
        assertThat(WebhookSignatures.github(GITHUB_SECRET, HELLO, "sha256=not-hex")).isFalse();
        assertThat(WebhookSignatures.github(GITHUB_SECRET, HELLO, "sha256=757107")).as("a prefix").isFalse();
        assertThat(WebhookSignatures.github(GITHUB_SECRET, HELLO, null)).isFalse();
        assertThat(WebhookSignatures.github("", HELLO, GITHUB_SIGNATURE)).as("no secret").isFalse();
        assertThat(WebhookSignatures.github(null, HELLO, GITHUB_SIGNATURE)).isFalse();
    }

    @Test
    void checksGiteasBareHexSignature() {
        String bare = GITHUB_SIGNATURE.substring("sha256=".length());
        assertThat(WebhookSignatures.gitea(GITHUB_SECRET, HELLO, bare)).isTrue();
        assertThat(WebhookSignatures.gitea(GITHUB_SECRET, HELLO, GITHUB_SIGNATURE)).as("GitHub's form").isFalse();
        assertThat(WebhookSignatures.gitea("wrong", HELLO, bare)).isFalse();
        assertThat(WebhookSignatures.gitea(GITHUB_SECRET, HELLO, null)).isFalse();
        assertThat(HexFormat.of().formatHex(WebhookSignatures.hmacSha256(GITHUB_SECRET, HELLO))).isEqualTo(bare);
    }

    @Test
    void checksGitLabsTokenByEquality() {
        assertThat(WebhookSignatures.gitlab("s3cret", "s3cret")).isTrue();
        assertThat(WebhookSignatures.gitlab("s3cret", "s3cre")).isFalse();
        assertThat(WebhookSignatures.gitlab("s3cret", "s3cret ")).isFalse();
        assertThat(WebhookSignatures.gitlab("s3cret", null)).isFalse();
        assertThat(WebhookSignatures.gitlab(null, "")).isFalse();
        assertThat(WebhookSignatures.gitlab("", "")).as("an empty secret authenticates nobody").isFalse();
    }

    @Test
    void eachForgeReadsItsOwnHeaders() {
        String bare = GITHUB_SIGNATURE.substring(7);
        Map<String, String> github = Map.of("X-Hub-Signature-256", GITHUB_SIGNATURE, "X-GitHub-Event", "push",
                "X-GitHub-Delivery", "d-1");
        Map<String, String> gitea = Map.of("X-Gitea-Signature", bare, "X-Gitea-Event", "push", "X-Gitea-Delivery", "d-2");
        Map<String, String> gitlab = Map.of("X-Gitlab-Token", GITHUB_SECRET, "X-Gitlab-Event", "Push Hook",
                "Idempotency-Key", "d-3");
        assertThat(ForgeHooks.authentic(ForgeKind.GITHUB, GITHUB_SECRET, HELLO, github::get)).isTrue();
        assertThat(ForgeHooks.authentic(ForgeKind.GITEA, GITHUB_SECRET, HELLO, gitea::get)).isTrue();
        assertThat(ForgeHooks.authentic(ForgeKind.GITLAB, GITHUB_SECRET, HELLO, gitlab::get)).isTrue();
        assertThat(ForgeHooks.authentic(ForgeKind.GITEA, GITHUB_SECRET, HELLO, github::get)).isFalse();
        assertThat(ForgeHooks.authentic(ForgeKind.GITLAB, GITHUB_SECRET, HELLO, gitea::get)).isFalse();
        assertThat(ForgeHooks.delivery(ForgeKind.GITHUB, github::get)).isEqualTo("github:d-1");
        assertThat(ForgeHooks.delivery(ForgeKind.GITEA, gitea::get)).isEqualTo("gitea:d-2");
        assertThat(ForgeHooks.delivery(ForgeKind.GITLAB, gitlab::get)).as("Idempotency-Key when there is no X-Gitlab-Event-UUID")
                .isEqualTo("gitlab:d-3");
        assertThat(ForgeHooks.event(ForgeKind.GITLAB, gitlab::get)).isEqualTo("Push Hook");
    }

    @Test
    void remembersRecentDeliveriesOnly() {
        DeliveryIds ids = new DeliveryIds(2);
        assertThat(ids.firstTime("a")).isTrue();
        assertThat(ids.firstTime("a")).isFalse();
        assertThat(ids.firstTime("b")).isTrue();
        assertThat(ids.firstTime("c")).isTrue();
        assertThat(ids.firstTime("a")).as("forgotten: the oldest went first").isTrue();
        assertThat(ids.firstTime(null)).isTrue();
        assertThat(ids.firstTime(null)).as("without an id every delivery is new").isTrue();
    }
}
