package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.retry.Sleeper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * GitHub's commit status API: {@code POST {api-url}/repos/{owner}/{repo}/statuses/{sha}} with
 * {@code Authorization: Bearer <token>}; states pending, success, failure, error. GitHub keeps at most 1000
 * statuses per sha and context and answers 422 beyond that: not retried.
 */
public final class GitHubStatusReporter extends HttpStatusReporter {

    public static final URI PUBLIC_API = URI.create("https://api.github.com");

    /**
     * @param apiUrl     {@code https://api.github.com}, or {@code https://github.example.com/api/v3} for GitHub Enterprise
     * @param repository {@code owner/repo}
     */
    public GitHubStatusReporter(URI apiUrl, String repository, Supplier<String> token, HttpClient http,
                                Clock clock, Sleeper sleeper) {
        super("github", apiUrl, repository, token, http, clock, sleeper);
        if (!repository.strip().matches("[^/\\s]+/[^/\\s]+")) {
            throw new IllegalArgumentException("Invalid GitHub repository (expected owner/name): " + repository);
        }
    }

    @Override
    String path(String repository, CommitStatus status) {
        return "/repos/" + repository + "/statuses/" + status.sha();
    }

    @Override
    ObjectNode body(CommitStatus status) {
        ObjectNode body = commonBody(state(status.state()), status);
        body.put("context", status.context());
        return body;
    }

    @Override
    void authenticate(HttpRequest.Builder request, String token) {
        request.header("Authorization", "Bearer " + token)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28");
    }

    static String state(CommitStatus.State state) {
        return switch (state) {
            case PENDING -> "pending";
            case SUCCESS -> "success";
            case FAILURE -> "failure";
            case ERROR -> "error";
        };
    }
}
