package dev.drawbridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.testing.RealWorld;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.notes.Note;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks end to end, one server for the class (intervals of an hour: whatever happens was triggered):
 * signed GitHub, GitLab and Gitea deliveries, pushes that reconcile at once, a redelivery that does nothing,
 * and a pull request whose head is checked, gets its status as a git note, and is never applied.
 */
class WebhooksTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "s3cret-for-hooks";

    @TempDir
    static Path dir;
    static ServeFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new ServeFixture(dir);
        Path secret = dir.resolve("webhook-secret");
        Files.writeString(secret, SECRET + "\n");
        f.extraConfig = """
                forge:
                  type: git-notes
                  webhook-secret-file: %s
                """.formatted(secret);
        f.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> "applied".equals(
                json(f.get("/api/environments/production")).path("outcome").asText()));
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /**
     * When production runs next, once its last reconcile is over and it waits for its interval (an hour). A
     * trigger moves it to now at once (before the hook answers), so an unchanged value proves nothing was triggered.
     */
    static String nextIntervalRun() {
        AtomicReference<String> next = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode env = json(f.get("/api/environments/production"));
            String at = env.path("nextRun").asText("");
            String finished = env.path("finishedAt").asText("");
            next.set(at);
            return !at.isEmpty() && !finished.isEmpty()
                    && Instant.parse(at).isAfter(Instant.parse(finished).plus(Duration.ofMinutes(30)));
        });
        return next.get();
    }

    static Deployment api() {
        return f.cluster.client().apps().deployments().inNamespace("shop").withName("api").get();
    }

    static String digest(String tag) {
        return f.registry.images().stream().filter(i -> i.tag().equals(tag)).findFirst().orElseThrow().digest().toString();
    }

    static byte[] pushTo(String branch) throws Exception {
        ObjectNode push = (ObjectNode) JSON.readTree(Files.readString(RealWorld.dir().resolve("github-webhooks/push-payload.json")));
        push.put("ref", "refs/heads/" + branch);
        return JSON.writeValueAsBytes(push);
    }

    static String sign(byte[] body) {
        return HexFormat.of().formatHex(WebhookSignatures.hmacSha256(SECRET, body));
    }

    static HttpResponse<String> send(String path, Map<String, String> headers, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.server.port() + path))
                .timeout(Duration.ofSeconds(10)).POST(body);
        if (!headers.containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return f.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> github(String event, String delivery, byte[] body) throws Exception {
        return send("/hooks/github", Map.of("X-GitHub-Event", event, "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", "sha256=" + sign(body)), HttpRequest.BodyPublishers.ofByteArray(body));
    }

    @Test
    void aDeliveryWithoutOrWithAWrongSignatureIsRefusedAndDoesNothing() throws Exception {
        byte[] body = pushTo("env/production");
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofByteArray(body);
        assertThat(send("/hooks/github", Map.of("X-GitHub-Event", "push"), publisher).statusCode()).isEqualTo(401);
        assertThat(send("/hooks/github", Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256",
                "sha256=" + sign("{}".getBytes(StandardCharsets.UTF_8))), publisher).statusCode()).isEqualTo(401);
        assertThat(send("/hooks/gitlab", Map.of("X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", "wrong"), publisher)
                .statusCode()).isEqualTo(401);
        assertThat(send("/hooks/gitea", Map.of("X-Gitea-Event", "push", "X-Gitea-Signature", "sha256=" + sign(body)),
                publisher).statusCode()).as("GitHub's form is not Gitea's").isEqualTo(401);
        HttpResponse<String> refused = send("/hooks/gitea", Map.of("X-Gitea-Event", "push"), publisher);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).path("error").asText()).isEqualTo("missing or wrong signature");
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        byte[] big = new byte[WebhooksController.MAX_BODY + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        Map<String, String> headers = Map.of("X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + sign(big));
        assertThat(send("/hooks/github", headers, HttpRequest.BodyPublishers.ofByteArray(big)).statusCode()).isEqualTo(413);
        assertThat(send("/hooks/github", headers, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .statusCode()).as("chunked, no Content-Length").isEqualTo(413);
    }

    /** A push to {@code branch} whose other field is valid JSON nested {@code depth} arrays deep. */
    static byte[] nestedPush(String branch, int depth) {
        return ("{\"ref\":\"refs/heads/" + branch + "\",\"commits\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSignedBodyNested10000DeepIsOneClear400AndTriggersNothing() throws Exception {
        String before = nextIntervalRun();
        byte[] deep = nestedPush("env/production", 10_000);
        String form = "payload=" + java.net.URLEncoder.encode(new String(deep, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        byte[] formBody = form.getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> github = github("push", UUID.randomUUID().toString(), deep);
        HttpResponse<String> githubForm = send("/hooks/github", Map.of("X-GitHub-Event", "push",
                "X-GitHub-Delivery", UUID.randomUUID().toString(), "X-Hub-Signature-256", "sha256=" + sign(formBody),
                "Content-Type", "application/x-www-form-urlencoded"), HttpRequest.BodyPublishers.ofByteArray(formBody));
        HttpResponse<String> gitlab = send("/hooks/gitlab", Map.of("X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", SECRET),
                HttpRequest.BodyPublishers.ofByteArray(deep));

        for (HttpResponse<String> response : java.util.List.of(github, githubForm, gitlab)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(json(response).path("error").asText()).isEqualTo("the body nests deeper than 64 levels");
            assertThat(json(response).has("triggered")).isFalse();
        }
        HttpResponse<String> shallow = github("push", UUID.randomUUID().toString(), nestedPush("env/nobody", HookEvents.MAX_DEPTH - 2));
        assertThat(shallow.statusCode()).as("nested within the limit: read").isEqualTo(202);
        assertThat(json(shallow).path("ignored").asText()).isEqualTo("no environment deploys branch env/nobody");
        assertThat(f.get("/actuator/health").statusCode()).as("still serving").isEqualTo(200);
        assertThat(json(f.get("/api/environments/production")).path("nextRun").asText()).as("no reconcile").isEqualTo(before);
    }

    @Test
    void aSignedPushToAnEnvironmentBranchReconcilesItWithoutWaitingForTheInterval() throws Exception {
        String sha = f.commitOn("env/production", "production/deployment.yaml",
                ServeFixture.deployment("api", 3, "harbor.example.com/prod/shop/api:1.5.0"));

        HttpResponse<String> accepted = github("push", UUID.randomUUID().toString(), pushTo("env/production"));

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(json(accepted).path("triggered").toString()).isEqualTo("[\"production\"]");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(api().getSpec().getReplicas()).isEqualTo(3);
            assertThat(api().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo("harbor.example.com/prod/shop/api@" + digest("1.5.0"));
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> sha.equals(json(f.get("/api/environments/production")).path("revision").asText()));
    }

    @Test
    void aRedeliveryWithTheSameDeliveryIdDoesNoWorkTwice() throws Exception {
        String delivery = UUID.randomUUID().toString();
        String first = f.commitOn("env/production", "production/deployment.yaml",
                ServeFixture.deployment("api", 5, "harbor.example.com/prod/shop/api:1.5.0"));
        assertThat(github("push", delivery, pushTo("env/production")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> first.equals(json(f.get("/api/environments/production")).path("revision").asText()));
        assertThat(api().getSpec().getReplicas()).isEqualTo(5);
        String next = nextIntervalRun();

        String second = f.commitOn("env/production", "production/deployment.yaml",
                ServeFixture.deployment("api", 6, "harbor.example.com/prod/shop/api:1.5.0"));
        HttpResponse<String> again = github("push", delivery, pushTo("env/production"));

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again).path("duplicate").asBoolean()).isTrue();
        assertThat(json(again).has("triggered")).isFalse();
        assertThat(json(f.get("/api/environments/production")).path("nextRun").asText()).as("nothing triggered").isEqualTo(next);
        assertThat(api().getSpec().getReplicas()).isEqualTo(5);

        // a new delivery id is new work
        assertThat(json(github("push", UUID.randomUUID().toString(), pushTo("env/production"))).path("triggered").size()).isOne();
        await().atMost(Duration.ofSeconds(15)).until(() -> second.equals(json(f.get("/api/environments/production")).path("revision").asText()));
    }

    @Test
    void gitLabAndGiteaPushesTriggerTheirEnvironmentWithTheirOwnProof() throws Exception {
        byte[] gitlab = "{\"object_kind\":\"push\",\"ref\":\"refs/heads/env/acceptance\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> fromGitLab = send("/hooks/gitlab", Map.of("X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", SECRET,
                "X-Gitlab-Event-UUID", UUID.randomUUID().toString()), HttpRequest.BodyPublishers.ofByteArray(gitlab));
        assertThat(fromGitLab.statusCode()).isEqualTo(202);
        assertThat(json(fromGitLab).path("triggered").toString()).isEqualTo("[\"acceptance\"]");

        byte[] gitea = pushTo("env/acceptance");
        HttpResponse<String> fromGitea = send("/hooks/gitea", Map.of("X-Gitea-Event", "push", "X-Gitea-Signature", sign(gitea),
                "X-Gitea-Delivery", UUID.randomUUID().toString()), HttpRequest.BodyPublishers.ofByteArray(gitea));
        assertThat(fromGitea.statusCode()).isEqualTo(202);
        assertThat(json(fromGitea).path("triggered").toString()).isEqualTo("[\"acceptance\"]");

        byte[] form = ("payload=" + java.net.URLEncoder.encode(new String(pushTo("env/acceptance"), StandardCharsets.UTF_8),
                StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> formEncoded = send("/hooks/github", Map.of("Content-Type", "application/x-www-form-urlencoded",
                "X-GitHub-Event", "push", "X-Hub-Signature-256", "sha256=" + sign(form)), HttpRequest.BodyPublishers.ofByteArray(form));
        assertThat(formEncoded.statusCode()).isEqualTo(202);
        assertThat(json(formEncoded).path("triggered").toString()).as("GitHub's form-encoded content type")
                .isEqualTo("[\"acceptance\"]");

        HttpResponse<String> elsewhere = github("push", UUID.randomUUID().toString(), pushTo("feature/x"));
        assertThat(elsewhere.statusCode()).isEqualTo(202);
        assertThat(json(elsewhere).path("ignored").asText()).isEqualTo("no environment deploys branch feature/x");
    }

    @Test
    void aPullRequestIntoAnEnvironmentBranchGetsFailureOnItsHeadWhenItAddsABlockedImageAndIsNeverApplied() throws Exception {
        String envHead = f.repo.head("env/production");
        f.repo.checkout("env/production");
        f.repo.branch("pr-7");
        String head = f.commitOn("pr-7", "production/deployment.yaml",
                ServeFixture.deployment("api", 1, "harbor.example.com/prod/shop/worker:2.0.0"));
        try (Git git = Git.open(f.repo.dir().toFile())) {
            RefUpdate ref = git.getRepository().updateRef("refs/pull/7/head");
            ref.setNewObjectId(ObjectId.fromString(head));
            ref.forceUpdate();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> envHead.equals(json(f.get("/api/environments/production")).path("revision").asText()));
        String appliedImage = api().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readString(
                RealWorld.dir().resolve("github-webhooks/pull_request-opened.payload.json")));
        event.put("number", 7);
        ((ObjectNode) event.path("pull_request").path("base")).put("ref", "env/production");
        ((ObjectNode) event.path("pull_request").path("head")).put("sha", head);

        HttpResponse<String> accepted = github("pull_request", UUID.randomUUID().toString(), JSON.writeValueAsBytes(event));

        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonNode check = json(accepted).path("checks").path(0);
        assertThat(check.path("environment").asText()).isEqualTo("production");
        assertThat(check.path("ref").asText()).isEqualTo("refs/pull/7/head");
        assertThat(check.path("sha").asText()).isEqualTo(head);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(note(head))
                .contains("drawbridge/production failure: blocked: prod/shop/worker CVE-2026-1234 CRITICAL"));
        assertThat(f.repo.head("env/production")).isEqualTo(envHead);
        assertThat(api().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(appliedImage)
                .doesNotContain("worker");
        assertThat(json(f.get("/api/environments/production")).path("revision").asText()).isEqualTo(envHead);
    }

    /** The git note Drawbridge wrote on {@code sha}, or "" while there is none. */
    static String note(String sha) throws Exception {
        try (Git git = Git.open(f.repo.dir().toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            Note note = git.notesShow().setNotesRef("refs/notes/drawbridge")
                    .setObjectId(walk.parseCommit(ObjectId.fromString(sha))).call();
            return note == null ? "" : new String(git.getRepository().open(note.getData()).getBytes(), StandardCharsets.UTF_8);
        }
    }
}
