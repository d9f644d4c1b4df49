package dev.drawbridge.report.forge;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * How the three forge APIs differ for what Drawbridge reads and keeps besides posting statuses: the
 * authentication header, where a commit's statuses are listed and how their fields are named, and where a
 * pull request's (merge request's) comments are listed, created and edited.
 * <ul>
 *   <li>GitHub: {@code GET /repos/{o}/{r}/commits/{sha}/statuses} ({@code state}, {@code context}); comments
 *       {@code GET|POST /repos/{o}/{r}/issues/{n}/comments}, {@code PATCH /repos/{o}/{r}/issues/comments/{id}}.</li>
 *   <li>GitLab: {@code GET /projects/{id}/repository/commits/{sha}/statuses?name=} ({@code status}, {@code name});
 *       notes {@code GET|POST /projects/{id}/merge_requests/{iid}/notes}, {@code PUT .../notes/{note_id}}.</li>
 *   <li>Gitea/Forgejo: {@code GET /repos/{o}/{r}/statuses/{sha}} ({@code status}, {@code context}); comments
 *       {@code GET|POST /repos/{o}/{r}/issues/{n}/comments}, {@code PATCH /repos/{o}/{r}/issues/comments/{id}}.</li>
 * </ul>
 */
public enum ForgeKind {
    GITHUB("github"), GITLAB("gitlab"), GITEA("gitea");

    /** Items asked for per page of a list. */
    static final int PER_PAGE = 100;

    private final String configName;

    ForgeKind(String configName) {
        this.configName = configName;
    }

    /** The spelling of {@code forge.type} in the configuration, and the forge's name in messages. */
    public String configName() {
        return configName;
    }

    /**
     * {@code repository} stripped, when it is {@code owner/name} (GitHub's and Gitea's repositories); else an
     * {@link IllegalArgumentException} naming the forge ({@code forge}, e.g. {@code GitHub}).
     */
    static String ownerSlashName(String forge, String repository) {
        if (repository == null || !repository.strip().matches("[^/\\s]+/[^/\\s]+")) {
            throw new IllegalArgumentException("Invalid " + forge + " repository (expected owner/name): " + repository);
        }
        return repository.strip();
    }

    /** Sends {@code token} as this forge expects it, with the JSON media type it answers in. */
    void authenticate(HttpRequest.Builder request, String token) {
        switch (this) {
            case GITHUB -> request.header("Authorization", "Bearer " + token)
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28");
            case GITLAB -> request.header("PRIVATE-TOKEN", token).header("Accept", "application/json");
            case GITEA -> request.header("Authorization", "token " + token).header("Accept", "application/json");
        }
    }

    /** Where the statuses of a commit are listed (the first page, newest included). */
    String statusesPath(String repository, String sha, String context) {
        return switch (this) {
            case GITHUB -> "/repos/" + repository + "/commits/" + sha + "/statuses?per_page=" + PER_PAGE;
            case GITLAB -> project(repository) + "/repository/commits/" + sha + "/statuses?name="
                    + URLEncoder.encode(context, StandardCharsets.UTF_8) + "&per_page=" + PER_PAGE;
            case GITEA -> "/repos/" + repository + "/statuses/" + sha + "?sort=recentupdate&limit=" + PER_PAGE;
        };
    }

    /** The field of a listed status that holds its state. */
    String stateField() {
        return this == GITHUB ? "state" : "status";
    }

    /** The field of a listed status that holds its context. */
    String contextField() {
        return this == GITLAB ? "name" : "context";
    }

    /** The forge's name of a state, as posted. */
    String state(CommitStatus.State state) {
        return this == GITLAB ? GitLabStatusReporter.state(state) : GitHubStatusReporter.state(state);
    }

    /** One page (from 1) of the comments of pull request {@code number}; Gitea lists them all at once. */
    String commentsPath(String repository, long number, int page) {
        return switch (this) {
            case GITHUB -> "/repos/" + repository + "/issues/" + number + "/comments?per_page=" + PER_PAGE + "&page=" + page;
            case GITLAB -> project(repository) + "/merge_requests/" + number + "/notes?sort=asc&order_by=created_at&per_page="
                    + PER_PAGE + "&page=" + page;
            case GITEA -> "/repos/" + repository + "/issues/" + number + "/comments";
        };
    }

    /** Whether the comments list is paged ({@code per_page}, {@code page}). */
    boolean pagesComments() {
        return this != GITEA;
    }

    /** Where a new comment is posted. */
    String createCommentPath(String repository, long number) {
        return switch (this) {
            case GITHUB, GITEA -> "/repos/" + repository + "/issues/" + number + "/comments";
            case GITLAB -> project(repository) + "/merge_requests/" + number + "/notes";
        };
    }

    /** Where comment {@code id} is edited. */
    String editCommentPath(String repository, long number, long id) {
        return switch (this) {
            case GITHUB, GITEA -> "/repos/" + repository + "/issues/comments/" + id;
            case GITLAB -> project(repository) + "/merge_requests/" + number + "/notes/" + id;
        };
    }

    /** The method that edits a comment. */
    String editMethod() {
        return this == GITLAB ? "PUT" : "PATCH";
    }

    private static String project(String repository) {
        return "/projects/" + (repository.contains("%") ? repository : URLEncoder.encode(repository, StandardCharsets.UTF_8));
    }
}
