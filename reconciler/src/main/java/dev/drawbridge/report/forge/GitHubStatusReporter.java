package dev.drawbridge.report.forge;

import dev.drawbridge.retry.Sleeper;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * GitHub's commit status API: {@code POST {api-url}/repos/{owner}/{repo}/statuses/{sha}} with
 * {@code Authorization: Bearer <token>}; states pending, success, failure, error. GitHub keeps at most 1000
 * statuses per sha and context and answers 422 beyond that: not retried.
 */
public final class GitHubStatusReporter extends RepositoryStatusReporter {

    public static final URI PUBLIC_API = URI.create("https://api.github.com");

    /**
     * @param apiUrl     {@code https://api.github.com}, or {@code https://github.example.com/api/v3} for GitHub Enterprise
     * @param repository {@code owner/repo}
     */
    public GitHubStatusReporter(URI apiUrl, String repository, Supplier<String> token, HttpClient http,
                                Clock clock, Sleeper sleeper) {
        super(ForgeKind.GITHUB, "GitHub", apiUrl, repository, token, http, clock, sleeper);
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
