package dev.drawbridge.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Without {@code forge.webhook-secret-file} every delivery is refused: webhooks fail closed. */
class WebhooksWithoutSecretTest {

    @TempDir
    static Path dir;
    static ServeFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new ServeFixture(dir);
        f.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> f.get("/actuator/health").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void everyDeliveryIsRefusedWhenNoSecretIsConfigured() throws Exception {
        byte[] body = "{\"ref\":\"refs/heads/env/production\"}".getBytes(StandardCharsets.UTF_8);
        for (String path : new String[] {"/hooks/github", "/hooks/gitlab", "/hooks/gitea"}) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.server.port() + path))
                    .header("X-GitHub-Event", "push").header("X-Gitlab-Event", "Push Hook").header("X-Gitea-Event", "push")
                    .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(WebhookSignatures.hmacSha256("guess", body)))
                    .header("X-Gitlab-Token", "guess")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> response = f.http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(401);
        }
    }
}
