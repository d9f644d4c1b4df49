package dev.drawbridge.report.forge;

import dev.drawbridge.retry.Sleeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.function.Supplier;

/** Builds the pull-request API of a forge with one ({@code forge.type} github, gitlab or gitea). */
public final class PullRequestApis {

    private PullRequestApis() {
    }

    /**
     * @param kind       the forge
     * @param apiUrl     the forge's API root (GitHub: null for {@code https://api.github.com})
     * @param repository {@code owner/name}; for GitLab the numeric project id or the project path
     * @param token      read at every request, never kept in a message
     */
    public static PullRequests create(ForgeKind kind, URI apiUrl, String repository, Supplier<String> token,
                                      HttpClient http, Clock clock, Sleeper sleeper) {
        return switch (kind) {
            case GITHUB -> new GitHubPullRequests(apiUrl == null ? GitHubStatusReporter.PUBLIC_API : apiUrl,
                    repository, token, http, clock, sleeper);
            case GITLAB -> new GitLabMergeRequests(required(apiUrl, kind), repository, token, http, clock, sleeper);
            case GITEA -> new GiteaPullRequests(required(apiUrl, kind), repository, token, http, clock, sleeper);
        };
    }

    private static URI required(URI apiUrl, ForgeKind kind) {
        if (apiUrl == null) {
            throw new IllegalArgumentException("forge.api-url is required for forge type " + kind.configName());
        }
        return apiUrl;
    }
}
