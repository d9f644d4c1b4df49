package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.retry.Sleeper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * GitLab's commit status API: {@code POST {api-url}/projects/{id}/statuses/{sha}} with {@code PRIVATE-TOKEN};
 * states pending, running, success, failed, canceled (both FAILURE and ERROR are {@code failed}, the
 * description tells them apart); {@code ref} is the branch and {@code name} the context. GitLab answers
 * 400 "Cannot transition status via :run from :running" when the same state is posted again; that status is
 * already there, so it is not an error.
 */
public final class GitLabStatusReporter extends HttpStatusReporter {

    /**
     * @param apiUrl  {@code https://gitlab.example.com/api/v4}
     * @param project the numeric project id, or its path ({@code group/project}, encoded here, or already
     *                encoded {@code group%2Fproject})
     */
    public GitLabStatusReporter(URI apiUrl, String project, Supplier<String> token, HttpClient http,
                                Clock clock, Sleeper sleeper) {
        super(ForgeKind.GITLAB, apiUrl, project, token, http, clock, sleeper);
    }

    @Override
    String path(String project, CommitStatus status) {
        String id = project.contains("%") ? project : URLEncoder.encode(project, StandardCharsets.UTF_8);
        return "/projects/" + id + "/statuses/" + status.sha().hex();
    }

    @Override
    ObjectNode body(CommitStatus status) {
        ObjectNode body = JSON.createObjectNode();
        body.put("state", state(status.state()));
        if (status.branch() != null) {
            body.put("ref", status.branch());
        }
        body.put("name", status.context());
        if (status.targetUrl() != null) {
            body.put("target_url", status.targetUrl());
        }
        body.put("description", status.description());
        return body;
    }

    @Override
    void authenticate(HttpRequest.Builder request, String token) {
        ForgeKind.GITLAB.authenticate(request, token);
    }

    @Override
    boolean alreadyReported(int statusCode, String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return statusCode == 400 && (m.contains("cannot transition status") || m.contains("status cannot transition"));
    }

    static String state(CommitStatus.State state) {
        return switch (state) {
            case PENDING -> "pending";
            case SUCCESS -> "success";
            case FAILURE, ERROR -> "failed";
        };
    }
}
