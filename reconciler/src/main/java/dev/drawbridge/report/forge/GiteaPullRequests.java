package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.retry.Sleeper;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Gitea's and Forgejo's pulls API: {@code GET /repos/{owner}/{repo}/pulls?state=open&page=N&limit=50} (filtered
 * here by head and base branch), {@code POST /repos/{owner}/{repo}/pulls} (409 or 422 "pull request already
 * exists" means it is there: found again), {@code PATCH /repos/{owner}/{repo}/pulls/{index}} (title, body;
 * {@code state: closed}) and {@code POST /repos/{owner}/{repo}/pulls/{index}/merge} with {@code Do} and the
 * expected {@code head_commit_id}.
 */
public final class GiteaPullRequests extends RepositoryPulls {

    /** Pages of open pull requests read at most while looking for one (50 each). */
    static final int MAX_PAGES = 20;
    private static final int PAGE_SIZE = 50;

    /** @param repository {@code owner/repo} */
    public GiteaPullRequests(URI apiUrl, String repository, Supplier<String> token, HttpClient client, Clock clock,
                             Sleeper sleeper) {
        super("Gitea", new PullRequestHttp(ForgeKind.GITEA, apiUrl, token, client, clock, sleeper), repository);
    }

    @Override
    public Optional<PullRequest> findOpen(String head, String base) throws ForgeException {
        return http.first(page -> "/repos/" + repository + "/pulls?state=open&page=" + page + "&limit=" + PAGE_SIZE,
                PAGE_SIZE, MAX_PAGES, pull -> head.equals(pull.path("head").path("ref").asText())
                        && base.equals(pull.path("base").path("ref").asText())).map(RepositoryPulls::of);
    }

    @Override
    public PullRequest open(String head, String base, String title, String body) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("head", head).put("base", base).put("title", title).put("body", body);
        return http.open("/repos/" + repository + "/pulls", json, Set.of(409, 422), RepositoryPulls::of,
                () -> findOpen(head, base), title, body);
    }

    @Override
    public void merge(PullRequest request, String sha, PullRequest.MergeMethod method, String title) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("Do", method.name().toLowerCase(Locale.ROOT)).put("head_commit_id", sha).put("MergeTitleField", title);
        http.expect("POST", path(request) + "/merge", json);
    }
}
