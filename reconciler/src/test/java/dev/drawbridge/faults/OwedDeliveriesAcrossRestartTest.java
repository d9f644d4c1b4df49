package dev.drawbridge.faults;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.reconcile.CommitStatuses;
import dev.drawbridge.reconcile.Notifications;
import dev.drawbridge.reconcile.Owners;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.report.notify.Notification;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The forge (GitHub's {@code POST /repos/{owner}/{repo}/statuses/{sha}}) and a JSON webhook answer 503 while a
 * process tries to deliver; the process stops still owing them; the far ends recover; the next process on the
 * same work directory delivers each owed status and notification exactly once (WireMock's request journal),
 * skips what the forge already shows, and the journal keeps neither the token nor the webhook URL.
 */
class OwedDeliveriesAcrossRestartTest {

    static final String SHA_1 = "1111111111111111111111111111111111111111";
    static final String SHA_2 = "2222222222222222222222222222222222222222";
    static final String TOKEN = "ghp_owedDeliveriesT0ken";
    static final String HOOK = "/hooks/h00kS3cr3t";

    @TempDir
    Path dir;

    WireMockServer forge;
    Path work;
    DrawbridgeConfig config;
    EnvironmentConfig production;

    @BeforeEach
    void start() throws Exception {
        forge = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        forge.start();
        work = dir.resolve("work");
        Files.writeString(dir.resolve("token"), TOKEN);
        Files.writeString(dir.resolve("hook-url"), forge.baseUrl() + HOOK);
        config = new ConfigLoader().load("drawbridge.yaml", """
                git: {url: "https://git.example.com/deploy.git"}
                forge: {type: github, api-url: "%s", repository: platform/deploy, token-file: token}
                dashboard-url: https://drawbridge.example.com
                environments:
                  - {name: production, branch: env/production, path: app}
                notifications:
                  - {name: audit, type: webhook, url-file: hook-url}
                """.formatted(forge.baseUrl()).getBytes(), dir);
        production = config.environment(EnvironmentName.of("production")).orElseThrow();
    }

    @AfterEach
    void stop() {
        forge.stop();
    }

    static String posts(String sha) {
        return "/repos/platform/deploy/statuses/" + sha;
    }

    static String list(String sha) {
        return "/repos/platform/deploy/commits/" + sha + "/statuses?per_page=100";
    }

    static ReconcileOutcome applied(String sha) {
        return new ReconcileOutcome.Applied(new GateReport(EnvironmentName.of("production"), CommitId.of(sha), "f".repeat(40), "app",
                new GateResult(Decision.PASS, List.of(), List.of(), List.of(), List.of())), ChangeSet.empty());
    }

    List<Path> owed() {
        if (!Files.isDirectory(work.resolve("owed"))) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(work.resolve("owed"))) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String owedText() {
        StringBuilder text = new StringBuilder();
        for (Path file : owed()) {
            try {
                text.append(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return text.toString();
    }

    List<LoggedRequest> accepted(String path) {
        return forge.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(path) && e.getRequest().getMethod().getName().equals("POST")
                        && e.getResponse().getStatus() / 100 == 2)
                .map(e -> LoggedRequest.createFrom(e.getRequest())).toList();
    }

    @Test
    void statusesTheForgeRefusedWith503ArePostedOnceEachByTheNextProcessOnTheSameWorkDirectory() throws Exception {
        forge.stubFor(post(urlPathMatching("/repos/platform/deploy/statuses/.*")).willReturn(aResponse().withStatus(503)
                .withBody("{\"message\":\"Service Unavailable\"}")));
        forge.stubFor(get(urlPathMatching("/repos/platform/deploy/commits/.*")).willReturn(aResponse().withStatus(503)));

        CommitStatuses first = CommitStatuses.fromConfig(config, work);
        first.decided(production, applied(SHA_1));
        first.verifying(production, CommitId.of(SHA_2), "f".repeat(40));
        await().atMost(Duration.ofSeconds(20)).until(() -> !forge.findAll(postRequestedFor(urlEqualTo(posts(SHA_1)))).isEmpty());
        first.close(); // stopped while it waits to retry: nothing was delivered

        assertThat(owed()).as("both statuses owed on disk").hasSize(2);
        assertThat(owedText()).contains(SHA_1, SHA_2, "SUCCESS", "PENDING").doesNotContain(TOKEN);

        forge.resetAll(); // the forge is back; another replica already posted SHA_2's outcome
        forge.stubFor(post(urlPathMatching("/repos/platform/deploy/statuses/.*")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 9}")));
        forge.stubFor(get(urlEqualTo(list(SHA_1))).willReturn(aResponse().withBody("[]")));
        forge.stubFor(get(urlEqualTo(list(SHA_2))).willReturn(aResponse().withBody("""
                [{"id": 7, "state": "success", "context": "drawbridge/production", "description": "passed"}]""")));

        try (CommitStatuses second = CommitStatuses.fromConfig(config, work)) {
            assertThat(second.flush(Duration.ofSeconds(20))).isTrue();
        }

        assertThat(accepted(posts(SHA_1))).as("the owed success, once").singleElement()
                .satisfies(r -> assertThat(r.getBodyAsString()).contains("\"state\":\"success\"", "\"context\":\"drawbridge/production\""));
        assertThat(forge.findAll(postRequestedFor(urlEqualTo(posts(SHA_2))))).as("superseded: the forge shows an outcome").isEmpty();
        assertThat(owed()).as("nothing owed any more").isEmpty();

        forge.resetRequests();
        try (CommitStatuses third = CommitStatuses.fromConfig(config, work)) {
            assertThat(third.flush(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(forge.findAll(postRequestedFor(urlPathMatching("/repos/.*")))).as("a further restart posts nothing").isEmpty();
    }

    @Test
    void aWebhookNotificationRefusedWith503IsSentOnceByTheNextProcessAndTheJournalKeepsNoUrl() throws Exception {
        forge.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(503)));
        Notification blocked = new Notification(EnvironmentName.of("production"), Notification.Kind.BLOCKED, SHA_1,
                "blocked: shop/api CVE-2026-1234 CRITICAL (fix 3.0.15)", Set.of("team-shop"),
                "https://drawbridge.example.com/environments/production/decisions/" + SHA_1);

        Notifications first = Notifications.fromConfig(config, env -> Owners.NONE, work);
        first.send(blocked);
        await().atMost(Duration.ofSeconds(20)).until(() -> !forge.findAll(postRequestedFor(urlEqualTo(HOOK))).isEmpty());
        first.close(); // stopped: the notification is still owed

        assertThat(owed()).hasSize(1);
        assertThat(owedText()).contains("BLOCKED", "CVE-2026-1234").doesNotContain(HOOK, "h00kS3cr3t", forge.baseUrl());

        forge.resetAll(); // the endpoint is back
        forge.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(200)));
        try (Notifications second = Notifications.fromConfig(config, env -> Owners.NONE, work)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> owed().isEmpty());
        }

        assertThat(accepted(HOOK)).singleElement().satisfies(r -> assertThat(r.getBodyAsString())
                .contains("\"kind\":\"BLOCKED\"", "\"revision\":\"" + SHA_1 + "\"", "CVE-2026-1234"));
        try (Notifications third = Notifications.fromConfig(config, env -> Owners.NONE, work)) {
            assertThat(owed()).isEmpty();
        }
        assertThat(forge.findAll(postRequestedFor(urlEqualTo(HOOK)))).as("sent exactly once").hasSize(1);
    }
}
