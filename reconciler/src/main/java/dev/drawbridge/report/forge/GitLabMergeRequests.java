package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.retry.Sleeper;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import static dev.drawbridge.report.forge.PullRequestHttp.encode;

/**
 * GitLab's merge requests API: {@code GET /projects/{id}/merge_requests?state=opened&source_branch=...&target_branch=...},
 * {@code POST /projects/{id}/merge_requests} (409 "Another open merge request already exists for this source
 * branch" means it is there: found again), {@code PUT /projects/{id}/merge_requests/{iid}} (title,
 * description; {@code state_event: close}) and {@code PUT /projects/{id}/merge_requests/{iid}/merge} with the
 * expected head {@code sha} and {@code squash}. GitLab takes the merge method from the project's settings, so
 * {@code rebase} merges as the project is set up.
 */
public final class GitLabMergeRequests implements PullRequests {

    private final PullRequestHttp http;
    private final String project;

    /** @param project the numeric project id, or its path ({@code group/project}, encoded here) */
    public GitLabMergeRequests(URI apiUrl, String project, Supplier<String> token, HttpClient client, Clock clock,
                               Sleeper sleeper) {
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("Invalid GitLab project: " + project);
        }
        String p = project.strip();
        this.project = p.contains("%") ? p : encode(p);
        this.http = new PullRequestHttp(ForgeKind.GITLAB, apiUrl, token, client, clock, sleeper);
    }

    @Override
    public Optional<PullRequest> findOpen(String head, String base) throws ForgeException {
        return http.first(page -> "/projects/" + project + "/merge_requests?state=opened&source_branch=" + encode(head)
                        + "&target_branch=" + encode(base) + "&per_page=100", 100, 1,
                mr -> head.equals(mr.path("source_branch").asText(head))).map(GitLabMergeRequests::of);
    }

    @Override
    public PullRequest open(String head, String base, String title, String body) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("source_branch", head).put("target_branch", base).put("title", title).put("description", body)
                .put("remove_source_branch", false);
        return http.open("/projects/" + project + "/merge_requests", json, Set.of(409, 422), GitLabMergeRequests::of,
                () -> findOpen(head, base), title, body);
    }

    @Override
    public PullRequest update(PullRequest request, String title, String body) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("title", title).put("description", body);
        return of(http.expect("PUT", "/projects/" + project + "/merge_requests/" + request.number(), json));
    }

    @Override
    public void close(PullRequest request) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("state_event", "close");
        http.expect("PUT", "/projects/" + project + "/merge_requests/" + request.number(), json);
    }

    @Override
    public void merge(PullRequest request, String sha, PullRequest.MergeMethod method, String title) throws ForgeException {
        ObjectNode json = HttpStatusReporter.JSON.createObjectNode();
        json.put("sha", sha).put("squash", method == PullRequest.MergeMethod.SQUASH);
        if (method == PullRequest.MergeMethod.SQUASH) {
            json.put("squash_commit_message", title);
        } else {
            json.put("merge_commit_message", title);
        }
        http.expect("PUT", "/projects/" + project + "/merge_requests/" + request.number() + "/merge", json);
    }

    private static PullRequest of(JsonNode mr) {
        return new PullRequest(mr.path("iid").asLong(), mr.path("web_url").asText(null), mr.path("title").asText(null),
                mr.path("description").asText(null), mr.path("sha").asText(null));
    }
}
