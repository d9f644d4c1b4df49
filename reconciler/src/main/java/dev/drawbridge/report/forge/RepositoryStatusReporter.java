package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.retry.Sleeper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What GitHub's and Gitea's commit status APIs share, to the letter: a repository named {@code owner/name},
 * {@code POST /repos/{owner}/{repo}/statuses/{sha}} with the state, description, target URL and {@code context}.
 * They differ in how the token is sent ({@link ForgeKind#authenticate}).
 */
abstract sealed class RepositoryStatusReporter extends HttpStatusReporter permits GitHubStatusReporter, GiteaStatusReporter {

    private final ForgeKind kind;

    /** @param forge the forge's name in messages, e.g. {@code GitHub} */
    RepositoryStatusReporter(ForgeKind kind, String forge, URI apiUrl, String repository, Supplier<String> token,
                             HttpClient http, Clock clock, Sleeper sleeper) {
        super(kind, apiUrl, repository, token, http, clock, sleeper);
        ForgeKind.ownerSlashName(forge, repository);
        this.kind = kind;
    }

    @Override
    String path(String repository, CommitStatus status) {
        return "/repos/" + repository + "/statuses/" + status.sha().hex();
    }

    @Override
    ObjectNode body(CommitStatus status) {
        ObjectNode body = commonBody(GitHubStatusReporter.state(status.state()), status);
        body.put("context", status.context());
        return body;
    }

    @Override
    void authenticate(HttpRequest.Builder request, String token) {
        kind.authenticate(request, token);
    }
}
