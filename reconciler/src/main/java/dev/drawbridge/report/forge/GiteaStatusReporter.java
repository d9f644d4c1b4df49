package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.retry.Sleeper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Gitea's and Forgejo's commit status API: {@code POST {api-url}/repos/{owner}/{repo}/statuses/{sha}} with
 * {@code Authorization: token <token>}; states pending, success, error, failure, warning (Drawbridge uses the
 * first four).
 */
public final class GiteaStatusReporter extends HttpStatusReporter {

    /**
     * @param apiUrl     {@code https://gitea.example.com/api/v1}
     * @param repository {@code owner/repo}
     */
    public GiteaStatusReporter(URI apiUrl, String repository, Supplier<String> token, HttpClient http,
                               Clock clock, Sleeper sleeper) {
        super("gitea", apiUrl, repository, token, http, clock, sleeper);
        if (!repository.strip().matches("[^/\\s]+/[^/\\s]+")) {
            throw new IllegalArgumentException("Invalid Gitea repository (expected owner/name): " + repository);
        }
    }

    @Override
    String path(String repository, CommitStatus status) {
        return "/repos/" + repository + "/statuses/" + status.sha();
    }

    @Override
    ObjectNode body(CommitStatus status) {
        ObjectNode body = commonBody(GitHubStatusReporter.state(status.state()), status);
        body.put("context", status.context());
        return body;
    }

    @Override
    void authenticate(HttpRequest.Builder request, String token) {
        request.header("Authorization", "token " + token).header("Accept", "application/json");
    }
}
