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

import static dev.drawbridge.report.forge.PullRequestHttp.encode;

/**
 * GitHub's pulls API: {@code GET /repos/{owner}/{repo}/pulls?state=open&head=owner:branch&base=...},
 * {@code POST /repos/{owner}/{repo}/pulls} (422 "A pull request already exists" means it is there: found
 * again), {@code PATCH /repos/{owner}/{repo}/pulls/{n}} (title, body; {@code state: closed}) and
 * {@code PUT /repos/{owner}/{repo}/pulls/{n}/merge} with {@code merge_method} and the expected head {@code sha}.
 */
public final class GitHubPullRequests extends RepositoryPulls {

    private final String owner;

    /** @param repository {@code owner/repo} */
    public GitHubPullRequests(URI apiUrl, String repository, Supplier<String> token, HttpClient client, Clock clock,
                              Sleeper sleeper) {
        super("GitHub", new PullRequestHttp(ForgeKind.GITHUB, apiUrl, token, client, clock, sleeper), repository);
        this.owner = this.repository.substring(0, this.repository.indexOf('/'));
    }

    @Override
    public Optional<PullRequest> findOpen(String head, String base) throws ForgeException {
        return http.first(page -> "/repos/" + repository + "/pulls?state=open&head=" + encode(owner + ":" + head)
                        + "&base=" + encode(base) + "&per_page=100", 100, 1,
                pull -> head.equals(pull.path("head").path("ref").asText(head))).map(RepositoryPulls::of);
    }

    @Override
    public PullRequest open(String head, String base, String title, String body) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("title", title).put("head", head).put("base", base).put("body", body);
        return http.open("/repos/" + repository + "/pulls", json, Set.of(422), RepositoryPulls::of,
                () -> findOpen(head, base), title, body);
    }

    @Override
    public void merge(PullRequest request, String sha, PullRequest.MergeMethod method, String title) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("merge_method", method.name().toLowerCase(Locale.ROOT)).put("sha", sha).put("commit_title", title);
        http.expect("PUT", path(request) + "/merge", json);
    }
}
