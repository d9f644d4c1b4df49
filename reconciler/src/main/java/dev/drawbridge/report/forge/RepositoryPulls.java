package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What GitHub's and Gitea's pulls APIs share, to the letter: a repository named {@code owner/name}, a pull
 * request as JSON ({@code number}, {@code html_url}, {@code title}, {@code body}, {@code head.sha}), and
 * {@code PATCH /repos/{owner}/{repo}/pulls/{n}} with the title and body, or with {@code state: closed}.
 */
abstract sealed class RepositoryPulls implements PullRequests permits GitHubPullRequests, GiteaPullRequests {

    final PullRequestHttp http;
    /** {@code owner/name}. */
    final String repository;

    /** @param forge the forge's name in messages, e.g. {@code GitHub} */
    RepositoryPulls(String forge, PullRequestHttp http, String repository) {
        this.http = http;
        this.repository = ForgeKind.ownerSlashName(forge, repository);
    }

    @Override
    public PullRequest update(PullRequest request, String title, String body) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("title", title).put("body", body);
        return of(http.expect("PATCH", path(request), json));
    }

    @Override
    public void close(PullRequest request) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("state", "closed");
        http.expect("PATCH", path(request), json);
    }

    /** {@code /repos/{owner}/{repo}/pulls/{n}}. */
    String path(PullRequest request) {
        return "/repos/" + repository + "/pulls/" + request.number();
    }

    static PullRequest of(JsonNode pull) {
        return new PullRequest(pull.path("number").asLong(), pull.path("html_url").asText(null),
                pull.path("title").asText(null), pull.path("body").asText(null),
                pull.path("head").path("sha").asText(null));
    }
}
