package dev.drawbridge.report.forge;

import dev.drawbridge.retry.Sleeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** Builds the pull-request API of {@code forge.type}; empty for forges without one (git-notes, none). */
public final class PullRequestApis {

    private PullRequestApis() {
    }

    /**
     * @param type       {@code github}, {@code gitlab}, {@code gitea} (or {@code forgejo}), {@code git-notes} or {@code none}
     * @param apiUrl     the forge's API root (GitHub: null for {@code https://api.github.com})
     * @param repository {@code owner/name}; for GitLab the numeric project id or the project path
     * @param token      read at every request, never kept in a message
     */
    public static Optional<PullRequests> create(String type, URI apiUrl, String repository, Supplier<String> token,
                                                HttpClient http, Clock clock, Sleeper sleeper) {
        String t = type == null ? "none" : type.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "github" -> Optional.of(new GitHubPullRequests(apiUrl == null ? GitHubStatusReporter.PUBLIC_API : apiUrl,
                    repository, token, http, clock, sleeper));
            case "gitlab" -> Optional.of(new GitLabMergeRequests(required(apiUrl, t), repository, token, http, clock, sleeper));
            case "gitea", "forgejo" -> Optional.of(new GiteaPullRequests(required(apiUrl, t), repository, token, http, clock,
                    sleeper));
            case "git-notes", "none" -> Optional.empty();
            default -> throw new IllegalArgumentException(
                    "Invalid forge type: " + type + " (expected github, gitlab, gitea, git-notes or none)");
        };
    }

    private static URI required(URI apiUrl, String type) {
        if (apiUrl == null) {
            throw new IllegalArgumentException("forge.api-url is required for forge type " + type);
        }
        return apiUrl;
    }
}
