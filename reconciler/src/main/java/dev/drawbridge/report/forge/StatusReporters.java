package dev.drawbridge.report.forge;

import dev.drawbridge.retry.Sleeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Builds the reporter for {@code forge.type} of the configuration, wrapped so no status is posted twice: not
 * by this process ({@link DeduplicatingReporter}) and not after a restart ({@link QuietReporter} reads what the
 * forge holds; a Git note that would not change is not pushed).
 */
public final class StatusReporters {

    private static final StatusReporter NONE = new StatusReporter() {
        @Override
        public void report(CommitStatus status) {
        }

        @Override
        public String toString() {
            return "no forge";
        }
    };

    private StatusReporters() {
    }

    /** A reporter that posts nothing ({@code forge.type: none}). */
    public static StatusReporter none() {
        return NONE;
    }

    /** As {@link #create(String, URI, String, Supplier, HttpClient, NoteStore, Clock, Sleeper)} with the system clock. */
    public static StatusReporter create(String type, URI apiUrl, String repository, Supplier<String> token,
                                        HttpClient http, NoteStore notes) {
        return create(type, apiUrl, repository, token, http, notes, Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /**
     * @param type       {@code github}, {@code gitlab}, {@code gitea} (or {@code forgejo}), {@code git-notes} or {@code none}
     * @param apiUrl     the forge's API root; unused for git-notes and none
     * @param repository {@code owner/name}; for GitLab the numeric project id or the project path
     * @param token      read at every post, never kept in a message
     * @param notes      the note store of the deploy repository, needed for {@code git-notes} only (wire
     *                   {@code dev.drawbridge.source.GitNotes::update})
     * @param clock      for rate-limit resets
     * @param sleeper    for rate-limit waits
     */
    public static StatusReporter create(String type, URI apiUrl, String repository, Supplier<String> token,
                                        HttpClient http, NoteStore notes, Clock clock, Sleeper sleeper) {
        String t = type == null ? "none" : type.strip().toLowerCase(Locale.ROOT);
        StatusReporter forge = switch (t) {
            case "github" -> new GitHubStatusReporter(orDefault(apiUrl), repository, token, http, clock, sleeper);
            case "gitlab" -> new GitLabStatusReporter(required(apiUrl, t), repository, token, http, clock, sleeper);
            case "gitea", "forgejo" -> new GiteaStatusReporter(required(apiUrl, t), repository, token, http, clock, sleeper);
            case "git-notes" -> {
                if (notes == null) {
                    throw new IllegalArgumentException("forge.type git-notes needs the deploy repository's note store");
                }
                yield new GitNotesStatusReporter(notes);
            }
            case "none" -> NONE;
            default -> throw new IllegalArgumentException(
                    "Invalid forge type: " + type + " (expected github, gitlab, gitea, git-notes or none)");
        };
        if (forge == NONE) {
            return NONE;
        }
        ForgeKind kind = ForgeKind.of(t);
        if (kind != null) {
            // what the forge holds is read before posting: quiet across restarts (see QuietReporter)
            forge = new QuietReporter(forge, new ForgeStatusReader(
                    new ForgeApi(kind, kind == ForgeKind.GITHUB ? orDefault(apiUrl) : apiUrl, token, http, clock, sleeper),
                    repository));
        }
        return new DeduplicatingReporter(forge);
    }

    private static URI orDefault(URI apiUrl) {
        return apiUrl == null ? GitHubStatusReporter.PUBLIC_API : apiUrl;
    }

    private static URI required(URI apiUrl, String type) {
        if (apiUrl == null) {
            throw new IllegalArgumentException("forge.api-url is required for forge type " + type);
        }
        return apiUrl;
    }
}
