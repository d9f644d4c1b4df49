package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.retry.Sleeper;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Gitea's and Forgejo's pulls API: {@code GET /repos/{owner}/{repo}/pulls?state=open&page=N&limit=50} (filtered
 * here by head and base branch), {@code POST /repos/{owner}/{repo}/pulls} (409 or 422 "pull request already
 * exists" means it is there: found again), {@code PATCH /repos/{owner}/{repo}/pulls/{index}} (title, body;
 * {@code state: closed}) and {@code POST /repos/{owner}/{repo}/pulls/{index}/merge} with {@code Do} and the
 * expected {@code head_commit_id}.
 */
public final class GiteaPullRequests implements PullRequests {

    /** Pages of open pull requests read at most while looking for one (50 each). */
    static final int MAX_PAGES = 20;

    private final PullRequestHttp http;
    private final String repository;

    /** @param repository {@code owner/repo} */
    public GiteaPullRequests(URI apiUrl, String repository, Supplier<String> token, HttpClient client, Clock clock,
                             Sleeper sleeper) {
        if (repository == null || !repository.strip().matches("[^/\\s]+/[^/\\s]+")) {
            throw new IllegalArgumentException("Invalid Gitea repository (expected owner/name): " + repository);
        }
        this.repository = repository.strip();
        this.http = new PullRequestHttp("gitea", apiUrl, token, (request, secret) -> request
                .header("Authorization", "token " + secret).header("Accept", "application/json"), client, clock, sleeper);
    }

    @Override
    public Optional<PullRequest> findOpen(String head, String base) throws ForgeException {
        for (int page = 1; page <= MAX_PAGES; page++) {
            JsonNode list = http.expect("GET", "/repos/" + repository + "/pulls?state=open&page=" + page + "&limit=50", null);
            for (JsonNode pull : list) {
                if (head.equals(pull.path("head").path("ref").asText()) && base.equals(pull.path("base").path("ref").asText())) {
                    return Optional.of(GitHubPullRequests.of(pull));
                }
            }
            if (list.size() < 50) {
                break;
            }
        }
        return Optional.empty();
    }

    @Override
    public PullRequest open(String head, String base, String title, String body) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("head", head).put("base", base).put("title", title).put("body", body);
        String path = "/repos/" + repository + "/pulls";
        PullRequestHttp.Answer answer = http.send("POST", path, json);
        if (answer.ok()) {
            return GitHubPullRequests.opened(GitHubPullRequests.of(answer.json()), title, body);
        }
        if ((answer.code() == 409 || answer.code() == 422)
                && answer.message().toLowerCase(Locale.ROOT).contains("already exists")) {
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
        return GitHubPullRequests.of(http.expect("PATCH", "/repos/" + repository + "/pulls/" + request.number(), json));
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
        json.put("Do", method.name().toLowerCase(Locale.ROOT)).put("head_commit_id", sha).put("MergeTitleField", title);
        http.expect("POST", "/repos/" + repository + "/pulls/" + request.number() + "/merge", json);
    }
}
