package dev.drawbridge.report.forge;

import dev.drawbridge.retry.Sleeper;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Gitea's and Forgejo's commit status API: {@code POST {api-url}/repos/{owner}/{repo}/statuses/{sha}} with
 * {@code Authorization: token <token>}; states pending, success, error, failure, warning (Drawbridge uses the
 * first four).
 */
public final class GiteaStatusReporter extends RepositoryStatusReporter {

    /**
     * @param apiUrl     {@code https://gitea.example.com/api/v1}
     * @param repository {@code owner/repo}
     */
    public GiteaStatusReporter(URI apiUrl, String repository, Supplier<String> token, HttpClient http,
                               Clock clock, Sleeper sleeper) {
        super(ForgeKind.GITEA, "Gitea", apiUrl, repository, token, http, clock, sleeper);
    }
}
