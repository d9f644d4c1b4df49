package dev.drawbridge.promotion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.gate.Decision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Promotion requests on GitHub's pulls API, against a real Git repository and the gate of the target. */
class PromotionRequestTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PULLS = "/repos/platform/deploy/pulls";
    static final String BRANCH = "drawbridge/promote/production";

    @TempDir
    Path dir;
    PromotionFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    /** No open request yet; the forge opens #7 and echoes what it was given. */
    void noOpenRequest() {
        f.forge.stubFor(get(urlPathEqualTo(PULLS)).withQueryParam("state", equalTo("open"))
                .withQueryParam("head", equalTo("platform:" + BRANCH)).withQueryParam("base", equalTo("env/production"))
                .willReturn(okJson("[]")));
        f.forge.stubFor(post(urlPathEqualTo(PULLS)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"number\": 7, \"html_url\": \"https://github.example.com/platform/deploy/pull/7\","
                        + " \"head\": {\"ref\": \"" + BRANCH + "\"}}")));
    }

    /** Request #7 is open with this title and body (as a restarted process finds it). */
    void openRequest(String title, String body, String head) throws Exception {
        String pull = JSON.writeValueAsString(JSON.createObjectNode().put("number", 7)
                .put("html_url", "https://github.example.com/platform/deploy/pull/7").put("title", title).put("body", body)
                .set("head", JSON.createObjectNode().put("ref", BRANCH).put("sha", head)));
        f.forge.stubFor(get(urlPathEqualTo(PULLS)).withQueryParam("head", equalTo("platform:" + BRANCH))
                .willReturn(okJson("[" + pull + "]")));
        f.forge.stubFor(patch(urlPathEqualTo(PULLS + "/7")).willReturn(okJson(pull)));
        f.forge.stubFor(put(urlPathEqualTo(PULLS + "/7/merge")).willReturn(okJson("{\"merged\": true}")));
    }

    static JsonNode body(LoggedRequest request) throws Exception {
        return JSON.readTree(request.getBodyAsString());
    }

    @Test
    void opensOneRequestAtTheAppliedRevisionWhileTheSourceBranchMovedOn() throws Exception {
        f = new PromotionFixture(dir, false);
        String applied = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));
        f.acceptanceApplied(applied);
        String later = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("3"));
        f.store.applied("production", f.initial, new dev.drawbridge.decision.DecisionRecord.RecordedImage(PromotionFixture.IMAGE,
                "sha256:" + "1".repeat(64), "PASS"));
        noOpenRequest();
        DrawbridgeConfig config = f.config(PromotionFixture.GITHUB, "pull-request");

        PromotionResult result;
        try (PromotionFixture.Process p = f.process(config, f.github())) {
            result = p.promote();
        }

        assertThat(result.action()).as(result.message()).isEqualTo(PromotionResult.Action.OPENED);
        assertThat(result.exitCode()).isZero();
        assertThat(f.head(BRANCH)).as("the applied revision, not the later head").isEqualTo(applied).isNotEqualTo(later);
        List<LoggedRequest> opened = f.requests("POST", PULLS);
        assertThat(opened).hasSize(1);
        JsonNode pr = body(opened.get(0));
        assertThat(pr.get("title").asText()).isEqualTo("Promote acceptance@" + applied.substring(0, 7) + " to production");
        assertThat(pr.get("head").asText()).isEqualTo(BRANCH);
        assertThat(pr.get("base").asText()).isEqualTo("env/production");
        assertThat(pr.get("body").asText()).contains("`" + PromotionFixture.IMAGE + "`",
                f.image.digest().toString().substring(0, 19), "new digest (runs `sha256:111111111111…`)", "`app/config.yaml`",
                "https://drawbridge.example.com/environments/acceptance/decisions/" + applied,
                "**production's gate:** PASS");
        assertThat(opened.get(0).getHeader("Authorization")).isEqualTo("Bearer " + PromotionFixture.TOKEN);
        assertThat(result.body()).doesNotContain(PromotionFixture.TOKEN);
        // the head got production's status like any pull request
        List<LoggedRequest> statuses = f.requests("POST", "/repos/platform/deploy/statuses/" + applied);
        assertThat(statuses).extracting(r -> body(r).get("context").asText()).containsOnly("drawbridge/production");
        assertThat(statuses).extracting(r -> body(r).get("state").asText()).contains("pending", "success");
    }

    @Test
    void updatesTheSameRequestAfterANewerApplyAlsoAfterARestart() throws Exception {
        f = new PromotionFixture(dir, false);
        String first = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));
        f.acceptanceApplied(first);
        noOpenRequest();
        DrawbridgeConfig config = f.config(PromotionFixture.GITHUB, "pull-request");
        PromotionResult opened;
        try (PromotionFixture.Process p = f.process(config, f.github())) {
            opened = p.promote();
        }
        assertThat(opened.action()).as(opened.message()).isEqualTo(PromotionResult.Action.OPENED);
        openRequest(opened.title(), opened.body(), first);

        // a new process finds the open request on the forge: nothing changed, nothing written
        try (PromotionFixture.Process restarted = f.process(config, f.github())) {
            assertThat(restarted.promote().action()).isEqualTo(PromotionResult.Action.UNCHANGED);
        }
        assertThat(f.requests("PATCH", PULLS + "/7")).isEmpty();

        // acceptance applies a newer revision; yet another process moves the branch and updates the same request
        String second = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("3"));
        f.acceptanceApplied(second);
        PromotionResult updated;
        try (PromotionFixture.Process again = f.process(config, f.github())) {
            updated = again.promote();
        }

        assertThat(updated.action()).as(updated.message()).isEqualTo(PromotionResult.Action.UPDATED);
        assertThat(f.head(BRANCH)).isEqualTo(second);
        assertThat(f.requests("POST", PULLS)).as("never a second request").hasSize(1);
        List<LoggedRequest> patches = f.requests("PATCH", PULLS + "/7");
        assertThat(patches).hasSize(1);
        assertThat(body(patches.get(0)).get("title").asText()).isEqualTo("Promote acceptance@" + second.substring(0, 7)
                + " to production");
        assertThat(updated.notes()).as("a forward move is no force-move").isEmpty();
    }

    @Test
    void closesTheRequestWhenTheTargetCaughtUpByHand() throws Exception {
        f = new PromotionFixture(dir, false);
        String applied = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));
        f.acceptanceApplied(applied);
        openRequest("Promote acceptance@" + applied.substring(0, 7) + " to production", "old", applied);
        // someone made the same change on production by hand (a squash merge would look the same)
        f.commit("env/production", "app/config.yaml", PromotionFixture.config("2"));
        DrawbridgeConfig config = f.config(PromotionFixture.GITHUB, "pull-request");

        PromotionResult result;
        try (PromotionFixture.Process p = f.process(config, f.github())) {
            result = p.promote();
        }

        assertThat(result.action()).as(result.message()).isEqualTo(PromotionResult.Action.CLOSED);
        List<LoggedRequest> patches = f.requests("PATCH", PULLS + "/7");
        assertThat(patches).singleElement().satisfies(r -> assertThat(body(r).get("state").asText()).isEqualTo("closed"));
        assertThat(f.requests("POST", PULLS)).isEmpty();
    }

    @Test
    void autoMergesOnlyOnceTheTargetsGatePassedOnThatHead() throws Exception {
        f = new PromotionFixture(dir, false);
        String applied = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));
        f.acceptanceApplied(applied);
        openRequest("old title", "old body", applied);
        DrawbridgeConfig config = f.config(PromotionFixture.GITHUB.replace("}", ", merge-method: squash}"), "auto-merge");

        PromotionResult result;
        try (PromotionFixture.Process p = f.process(config, f.github())) {
            result = p.promote();
        }

        assertThat(result.action()).as(result.message()).isEqualTo(PromotionResult.Action.MERGED);
        assertThat(result.gate()).isEqualTo(Decision.PASS);
        List<LoggedRequest> merges = f.requests("PUT", PULLS + "/7/merge");
        assertThat(merges).singleElement().satisfies(r -> {
            assertThat(body(r).get("sha").asText()).isEqualTo(applied);
            assertThat(body(r).get("merge_method").asText()).isEqualTo("squash");
        });
    }

    @Test
    void aBlockedTargetLeavesTheRequestOpenWithAFailureStatusAndNeverMerges() throws Exception {
        f = new PromotionFixture(dir, true);
        String applied = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));
        f.acceptanceApplied(applied);
        noOpenRequest();
        DrawbridgeConfig config = f.config(PromotionFixture.GITHUB, "auto-merge");

        PromotionResult result;
        try (PromotionFixture.Process p = f.process(config, f.github())) {
            result = p.promote();
        }

        assertThat(result.action()).isEqualTo(PromotionResult.Action.OPENED);
        assertThat(result.gate()).isEqualTo(Decision.BLOCK);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.reasons()).anySatisfy(r -> assertThat(r).contains("CVE-2026-1234"));
        assertThat(body(f.requests("POST", PULLS).get(0)).get("body").asText())
                .contains("**production's gate:** BLOCK", "CVE-2026-1234");
        assertThat(f.requests("PUT", PULLS + "/7/merge")).isEmpty();
        assertThat(f.requests("POST", "/repos/platform/deploy/statuses/" + applied))
                .extracting(r -> body(r).get("state").asText()).contains("failure").doesNotContain("success");
    }

    @Test
    void neverMergesWhenTheTargetsGateErrs() throws Exception {
        f = new PromotionFixture(dir, false);
        String applied = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));
        f.acceptanceApplied(applied);
        openRequest("t", "b", applied);
        DrawbridgeConfig config = f.config(PromotionFixture.GITHUB, "auto-merge");
        f.registry.close(); // the registry is down: production's gate cannot verify the image

        PromotionResult result;
        try (PromotionFixture.Process p = f.process(config, f.github())) {
            result = p.promote();
        }

        assertThat(result.gate()).isEqualTo(Decision.ERROR);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(f.requests("PUT", PULLS + "/7/merge")).isEmpty();
        assertThat(f.requests("POST", "/repos/platform/deploy/statuses/" + applied))
                .extracting(r -> body(r).get("state").asText()).contains("error").doesNotContain("success");
    }

    @Test
    void a422ForAnExistingRequestFindsItInsteadOfOpeningASecond() throws Exception {
        f = new PromotionFixture(dir, false);
        String applied = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));
        f.acceptanceApplied(applied);
        // another replica opened it between our look-up and our POST
        String pull = "{\"number\": 7, \"html_url\": \"https://github.example.com/platform/deploy/pull/7\", \"title\": \"x\","
                + " \"body\": \"y\", \"head\": {\"ref\": \"" + BRANCH + "\", \"sha\": \"" + applied + "\"}}";
        f.forge.stubFor(get(urlPathEqualTo(PULLS)).inScenario("race").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("[]")).willSetStateTo("opened elsewhere"));
        f.forge.stubFor(get(urlPathEqualTo(PULLS)).inScenario("race").whenScenarioStateIs("opened elsewhere")
                .willReturn(okJson("[" + pull + "]")));
        f.forge.stubFor(post(urlPathEqualTo(PULLS)).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\": \"Validation Failed\", \"errors\": [{\"resource\": \"PullRequest\", \"code\": \"custom\","
                        + " \"message\": \"A pull request already exists for platform:" + BRANCH + ".\"}]}")));
        f.forge.stubFor(patch(urlPathEqualTo(PULLS + "/7")).willReturn(okJson(pull)));
        DrawbridgeConfig config = f.config(PromotionFixture.GITHUB, "pull-request");

        PromotionResult result;
        try (PromotionFixture.Process p = f.process(config, f.github())) {
            result = p.promote();
        }

        assertThat(result.action()).as(result.message()).isEqualTo(PromotionResult.Action.UPDATED);
        assertThat(result.requestUrl()).endsWith("/pull/7");
        assertThat(f.requests("POST", PULLS)).hasSize(1);
        assertThat(f.requests("PATCH", PULLS + "/7")).hasSize(1);
    }

    @Test
    void rateLimitsAreWaitedOutAsTheStatusReportersDo() throws Exception {
        f = new PromotionFixture(dir, false);
        String applied = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));
        f.acceptanceApplied(applied);
        noOpenRequest();
        f.forge.stubFor(get(urlPathEqualTo(PULLS)).inScenario("limits").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")).willSetStateTo("secondary"));
        f.forge.stubFor(get(urlPathEqualTo(PULLS)).inScenario("limits").whenScenarioStateIs("secondary")
                .willReturn(aResponse().withStatus(403).withHeader("X-RateLimit-Remaining", "0")
                        .withHeader("X-RateLimit-Reset", String.valueOf(PromotionFixture.NOW.getEpochSecond() + 30)))
                .willSetStateTo("ok"));
        f.forge.stubFor(get(urlPathEqualTo(PULLS)).inScenario("limits").whenScenarioStateIs("ok").willReturn(okJson("[]")));
        DrawbridgeConfig config = f.config(PromotionFixture.GITHUB, "pull-request");

        PromotionResult result;
        try (PromotionFixture.Process p = f.process(config, f.github())) {
            result = p.promote();
        }

        assertThat(result.action()).as(result.message()).isEqualTo(PromotionResult.Action.OPENED);
        assertThat(f.waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(30));
    }

    @Test
    void aServerErrorIsAnErrorAndTheNextRunOpensTheRequest() throws Exception {
        f = new PromotionFixture(dir, false);
        String applied = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));
        f.acceptanceApplied(applied);
        noOpenRequest();
        f.forge.stubFor(post(urlPathEqualTo(PULLS)).inScenario("down").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502).withBody("Bad Gateway")).willSetStateTo("up"));
        DrawbridgeConfig config = f.config(PromotionFixture.GITHUB, "pull-request");

        try (PromotionFixture.Process p = f.process(config, f.github())) {
            PromotionResult failed = p.promote();
            assertThat(failed.action()).isEqualTo(PromotionResult.Action.FAILED);
            assertThat(failed.exitCode()).isEqualTo(2);
            assertThat(failed.message()).contains("POST " + PULLS + " answered 502", "retried at the next run")
                    .doesNotContain(PromotionFixture.TOKEN);

            noOpenRequest(); // the forge is back
            assertThat(p.promote().action()).isEqualTo(PromotionResult.Action.OPENED);
        }
        assertThat(f.requests("POST", PULLS)).hasSize(2);
    }

    @Test
    void aPromotionBranchMovedBySomeoneElseIsRestoredAndReported() throws Exception {
        f = new PromotionFixture(dir, false);
        String applied = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));
        f.acceptanceApplied(applied);
        // someone pushed their own commit onto the promotion branch
        String foreign = f.commit("env/acceptance", "app/deployment.yaml",
                PromotionFixture.DEPLOYMENT.formatted("harbor.example.com/prod/shop/api:9.9.9"));
        f.repo.checkout("env/acceptance");
        f.repo.branch(BRANCH);
        f.repo.checkout("main");
        assertThat(f.head(BRANCH)).isEqualTo(foreign);
        openRequest("Promote acceptance@" + applied.substring(0, 7) + " to production", "b", foreign);
        DrawbridgeConfig config = f.config(PromotionFixture.GITHUB, "pull-request");

        PromotionResult result;
        try (PromotionFixture.Process p = f.process(config, f.github())) {
            result = p.promote();
        }

        assertThat(f.head(BRANCH)).isEqualTo(applied);
        assertThat(result.notes()).singleElement().asString()
                .contains(BRANCH + " had been moved to " + foreign.substring(0, 12) + " by someone else; restored");
        assertThat(result.gate()).isEqualTo(Decision.PASS);
    }
}
