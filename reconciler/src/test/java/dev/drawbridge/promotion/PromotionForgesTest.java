package dev.drawbridge.promotion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drawbridge.config.DrawbridgeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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

/** Promotion requests on GitLab's merge requests API and Gitea's pulls API, at their exact paths. */
class PromotionForgesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BRANCH = "drawbridge/promote/production";
    static final String MRS = "/api/v4/projects/42/merge_requests";
    static final String GITEA_PULLS = "/api/v1/repos/platform/deploy/pulls";

    @TempDir
    Path dir;
    PromotionFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    static JsonNode body(LoggedRequest request) throws Exception {
        return JSON.readTree(request.getBodyAsString());
    }

    String appliedOnAcceptance(String level) {
        String sha = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config(level));
        f.acceptanceApplied(sha);
        return sha;
    }

    PromotionResult promote(DrawbridgeConfig config, boolean gitlab) {
        try (PromotionFixture.Process p = f.process(config, gitlab ? f.gitlab() : f.gitea())) {
            return p.promote();
        }
    }

    void gitlabHasNoMergeRequest() {
        f.forge.stubFor(get(urlPathEqualTo(MRS)).withQueryParam("state", equalTo("opened"))
                .withQueryParam("source_branch", equalTo(BRANCH)).withQueryParam("target_branch", equalTo("env/production"))
                .willReturn(okJson("[]")));
        f.forge.stubFor(post(urlPathEqualTo(MRS)).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"iid\": 3, \"web_url\": \"https://gitlab.example.com/platform/deploy/-/merge_requests/3\"}")));
    }

    void gitlabHasMergeRequest(PromotionResult opened, String sha) throws Exception {
        String mr = JSON.writeValueAsString(JSON.createObjectNode().put("iid", 3).put("source_branch", BRANCH)
                .put("web_url", "https://gitlab.example.com/platform/deploy/-/merge_requests/3")
                .put("title", opened.title()).put("description", opened.body()).put("sha", sha));
        f.forge.stubFor(get(urlPathEqualTo(MRS)).willReturn(okJson("[" + mr + "]")));
        f.forge.stubFor(put(urlPathEqualTo(MRS + "/3")).willReturn(okJson(mr)));
        f.forge.stubFor(put(urlPathEqualTo(MRS + "/3/merge")).willReturn(okJson(mr)));
    }

    void giteaHasNoPullRequest() {
        f.forge.stubFor(get(urlPathEqualTo(GITEA_PULLS)).withQueryParam("state", equalTo("open")).willReturn(okJson("[]")));
        f.forge.stubFor(post(urlPathEqualTo(GITEA_PULLS)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"number\": 5, \"html_url\": \"https://gitea.example.com/platform/deploy/pulls/5\"}")));
    }

    void giteaHasPullRequest(String title, String body, String sha) throws Exception {
        String other = "{\"number\": 4, \"title\": \"someone's\", \"head\": {\"ref\": \"feature\"}, \"base\": {\"ref\": \"env/production\"}}";
        String pull = JSON.writeValueAsString(JSON.createObjectNode().put("number", 5)
                .put("html_url", "https://gitea.example.com/platform/deploy/pulls/5").put("title", title).put("body", body)
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("head", JSON.createObjectNode().put("ref", BRANCH).put("sha", sha))
                .set("base", JSON.createObjectNode().put("ref", "env/production")));
        f.forge.stubFor(get(urlPathEqualTo(GITEA_PULLS)).withQueryParam("page", equalTo("1"))
                .willReturn(okJson("[" + other + ", " + pull + "]")));
        f.forge.stubFor(patch(urlPathEqualTo(GITEA_PULLS + "/5")).willReturn(okJson(pull)));
        f.forge.stubFor(post(urlPathEqualTo(GITEA_PULLS + "/5/merge")).willReturn(aResponse().withStatus(200)));
    }

    @Test
    void gitlabOpensOneMergeRequestAndUpdatesItAfterANewerApply() throws Exception {
        f = new PromotionFixture(dir, false);
        String first = appliedOnAcceptance("2");
        gitlabHasNoMergeRequest();
        DrawbridgeConfig config = f.config(PromotionFixture.GITLAB, "pull-request");

        PromotionResult opened = promote(config, true);

        assertThat(opened.action()).as(opened.message()).isEqualTo(PromotionResult.Action.OPENED);
        LoggedRequest create = f.requests("POST", MRS).get(0);
        assertThat(create.getHeader("PRIVATE-TOKEN")).isEqualTo(PromotionFixture.TOKEN);
        assertThat(body(create).get("source_branch").asText()).isEqualTo(BRANCH);
        assertThat(body(create).get("target_branch").asText()).isEqualTo("env/production");
        assertThat(body(create).get("title").asText()).isEqualTo("Promote acceptance@" + first.substring(0, 7) + " to production");
        assertThat(body(create).get("description").asText()).contains("**production's gate:** PASS");
        assertThat(f.requests("POST", "/api/v4/projects/42/statuses/" + first))
                .extracting(r -> body(r).get("name").asText()).containsOnly("drawbridge/production");

        gitlabHasMergeRequest(opened, first);
        String second = appliedOnAcceptance("3");
        PromotionResult updated = promote(config, true);

        assertThat(updated.action()).as(updated.message()).isEqualTo(PromotionResult.Action.UPDATED);
        assertThat(f.requests("POST", MRS)).hasSize(1);
        assertThat(f.requests("PUT", MRS + "/3")).singleElement().satisfies(r ->
                assertThat(body(r).get("title").asText()).isEqualTo("Promote acceptance@" + second.substring(0, 7) + " to production"));
        assertThat(f.head(BRANCH)).isEqualTo(second);
    }

    @Test
    void gitlabMergesWithTheExpectedHeadOnceTheGatePasses() throws Exception {
        f = new PromotionFixture(dir, false);
        String applied = appliedOnAcceptance("2");
        gitlabHasNoMergeRequest();
        DrawbridgeConfig config = f.config(PromotionFixture.GITLAB, "pull-request");
        PromotionResult opened = promote(config, true);
        gitlabHasMergeRequest(opened, applied);

        PromotionResult merged = promote(f.config(PromotionFixture.GITLAB, "auto-merge"), true);

        assertThat(merged.action()).as(merged.message()).isEqualTo(PromotionResult.Action.MERGED);
        assertThat(f.requests("PUT", MRS + "/3/merge")).singleElement().satisfies(r -> {
            assertThat(body(r).get("sha").asText()).isEqualTo(applied);
            assertThat(body(r).get("squash").asBoolean()).isFalse();
        });
    }

    @Test
    void gitlabClosesTheMergeRequestWhenProductionCaughtUp() throws Exception {
        f = new PromotionFixture(dir, false);
        String applied = appliedOnAcceptance("2");
        gitlabHasNoMergeRequest();
        DrawbridgeConfig config = f.config(PromotionFixture.GITLAB, "pull-request");
        gitlabHasMergeRequest(promote(config, true), applied);
        f.commit("env/production", "app/config.yaml", PromotionFixture.config("2"));

        PromotionResult closed = promote(config, true);

        assertThat(closed.action()).as(closed.message()).isEqualTo(PromotionResult.Action.CLOSED);
        assertThat(f.requests("PUT", MRS + "/3")).singleElement().satisfies(r ->
                assertThat(body(r).get("state_event").asText()).isEqualTo("close"));
    }

    @Test
    void giteaOpensOnePullRequestFindsItAmongOthersAndMergesItWithDo() throws Exception {
        f = new PromotionFixture(dir, false);
        String first = appliedOnAcceptance("2");
        giteaHasNoPullRequest();
        DrawbridgeConfig config = f.config(PromotionFixture.GITEA, "pull-request");

        PromotionResult opened = promote(config, false);

        assertThat(opened.action()).as(opened.message()).isEqualTo(PromotionResult.Action.OPENED);
        LoggedRequest create = f.requests("POST", GITEA_PULLS).get(0);
        assertThat(create.getHeader("Authorization")).isEqualTo("token " + PromotionFixture.TOKEN);
        assertThat(body(create).get("head").asText()).isEqualTo(BRANCH);
        assertThat(body(create).get("base").asText()).isEqualTo("env/production");
        assertThat(f.requests("POST", "/api/v1/repos/platform/deploy/statuses/" + first))
                .extracting(r -> body(r).get("context").asText()).containsOnly("drawbridge/production");

        giteaHasPullRequest("old", "old", first);
        String second = appliedOnAcceptance("3");
        PromotionResult merged = promote(f.config(PromotionFixture.GITEA.replace("}", ", merge-method: rebase}"), "auto-merge"), false);

        assertThat(merged.action()).as(merged.message()).isEqualTo(PromotionResult.Action.MERGED);
        assertThat(f.requests("POST", GITEA_PULLS)).as("never a second").hasSize(1);
        assertThat(f.requests("PATCH", GITEA_PULLS + "/5")).hasSize(1);
        assertThat(f.requests("POST", GITEA_PULLS + "/5/merge")).singleElement().satisfies(r -> {
            assertThat(body(r).get("Do").asText()).isEqualTo("rebase");
            assertThat(body(r).get("head_commit_id").asText()).isEqualTo(second);
        });
        assertThat(f.requests("PATCH", GITEA_PULLS + "/4")).as("someone else's pull request is left alone").isEmpty();
    }

    @Test
    void giteaAnswering409ForAnExistingPullRequestFindsIt() throws Exception {
        f = new PromotionFixture(dir, false);
        String applied = appliedOnAcceptance("2");
        f.forge.stubFor(get(urlPathEqualTo(GITEA_PULLS)).inScenario("race")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(okJson("[]")).willSetStateTo("exists"));
        f.forge.stubFor(post(urlPathEqualTo(GITEA_PULLS)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\": \"pull request already exists for these targets [id: 5, issue_id: 9, head_repo_id: 1,"
                        + " base_repo_id: 1, head_branch: " + BRANCH + ", base_branch: env/production]\"}")));
        giteaHasPullRequest("x", "y", applied);
        f.forge.stubFor(get(urlPathEqualTo(GITEA_PULLS)).inScenario("race")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED).willReturn(okJson("[]"))
                .willSetStateTo("exists"));

        PromotionResult result = promote(f.config(PromotionFixture.GITEA, "pull-request"), false);

        assertThat(result.action()).as(result.message()).isEqualTo(PromotionResult.Action.UPDATED);
        assertThat(result.requestUrl()).endsWith("/pulls/5");
        List<LoggedRequest> posts = f.requests("POST", GITEA_PULLS);
        assertThat(posts).hasSize(1);
    }
}
