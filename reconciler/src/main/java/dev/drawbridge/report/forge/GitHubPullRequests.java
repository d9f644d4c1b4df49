package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.retry.Sleeper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * GitHub's pulls API: {@code GET /repos/{owner}/{repo}/pulls?state=open&head=owner:branch&base=...},
 * {@code POST /repos/{owner}/{repo}/pulls} (422 "A pull request already exists" means it is there: found
 * again), {@code PATCH /repos/{owner}/{repo}/pulls/{n}} (title, body; {@code state: closed}) and
 * {@code PUT /repos/{owner}/{repo}/pulls/{n}/merge} with {@code merge_method} and the expected head {@code sha}.
 */
public final class GitHubPullRequests implements PullRequests {

    private final PullRequestHttp http;
    private final String repository;
    private final String owner;

    /** @param repository {@code owner/repo} */
    public GitHubPullRequests(URI apiUrl, String repository, Supplier<String> token, HttpClient client, Clock clock,
                              Sleeper sleeper) {
        this("github", apiUrl, repository, token, client, clock, sleeper);
    }

    private GitHubPullRequests(String forge, URI apiUrl, String repository, Supplier<String> token, HttpClient client,
                               Clock clock, Sleeper sleeper) {
        if (repository == null || !repository.strip().matches("[^/\\s]+/[^/\\s]+")) {
            throw new IllegalArgumentException("Invalid GitHub repository (expected owner/name): " + repository);
        }
        this.repository = repository.strip();
        this.owner = this.repository.substring(0, this.repository.indexOf('/'));
        this.http = new PullRequestHttp(forge, apiUrl, token, (request, secret) -> request
                .header("Authorization", "Bearer " + secret)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28"), client, clock, sleeper);
    }

    @Override
    public Optional<PullRequest> findOpen(String head, String base) throws ForgeException {
        JsonNode list = http.expect("GET", "/repos/" + repository + "/pulls?state=open&head="
                + encode(owner + ":" + head) + "&base=" + encode(base) + "&per_page=100", null);
        for (JsonNode pull : list) {
            if (head.equals(pull.path("head").path("ref").asText(head))) {
                return Optional.of(of(pull));
            }
        }
        return Optional.empty();
    }

    @Override
    public PullRequest open(String head, String base, String title, String body) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("title", title).put("head", head).put("base", base).put("body", body);
        String path = "/repos/" + repository + "/pulls";
        PullRequestHttp.Answer answer = http.send("POST", path, json);
        if (answer.ok()) {
            return GitHubPullRequests.opened(of(answer.json()), title, body);
        }
        if (answer.code() == 422 && answer.message().toLowerCase(Locale.ROOT).contains("already exists")) {
            Optional<PullRequest> existing = findOpen(head, base);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        throw http.failure("POST", path, answer);
    }

    @Override
    public PullRequest update(PullRequest request, String title, String body) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("title", title).put("body", body);
        return of(http.expect("PATCH", "/repos/" + repository + "/pulls/" + request.number(), json));
    }

    @Override
    public void close(PullRequest request) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("state", "closed");
        http.expect("PATCH", "/repos/" + repository + "/pulls/" + request.number(), json);
    }

    @Override
    public void merge(PullRequest request, String sha, PullRequest.MergeMethod method, String title) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("merge_method", method.name().toLowerCase(Locale.ROOT)).put("sha", sha).put("commit_title", title);
        http.expect("PUT", "/repos/" + repository + "/pulls/" + request.number() + "/merge", json);
    }

    static PullRequest of(JsonNode pull) {
        return new PullRequest(pull.path("number").asLong(), pull.path("html_url").asText(null),
                pull.path("title").asText(null), pull.path("body").asText(null),
                pull.path("head").path("sha").asText(null));
    }

    /** A request just opened has the title and body it was opened with, whatever the answer echoes. */
    static PullRequest opened(PullRequest answered, String title, String body) {
        return new PullRequest(answered.number(), answered.url(), title, body, answered.headSha());
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
