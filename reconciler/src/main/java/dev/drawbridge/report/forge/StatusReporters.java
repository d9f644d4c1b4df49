package dev.drawbridge.report.forge;

import dev.drawbridge.retry.Sleeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Builds the reporter for {@code forge.type} of the configuration (a {@link ForgeKind}, git-notes or none),
 * wrapped so no status is posted twice: not by this process ({@link DeduplicatingReporter}) and not after a
 * restart ({@link QuietReporter} reads what the forge holds; a Git note that would not change is not pushed).
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

    /** A reporter that writes statuses as Git notes ({@code forge.type: git-notes}), each once. */
    public static StatusReporter gitNotes(NoteStore notes) {
        if (notes == null) {
            throw new IllegalArgumentException("forge.type git-notes needs the deploy repository's note store");
        }
        return new DeduplicatingReporter(new GitNotesStatusReporter(notes));
    }

    /** As {@link #create(ForgeKind, URI, String, Supplier, HttpClient, Clock, Sleeper)} with the system clock. */
    public static StatusReporter create(ForgeKind kind, URI apiUrl, String repository, Supplier<String> token,
                                        HttpClient http) {
        return create(kind, apiUrl, repository, token, http, Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /**
     * The reporter of a forge with an API.
     *
     * @param kind       the forge
     * @param apiUrl     the forge's API root; for GitHub null means {@code https://api.github.com}
     * @param repository {@code owner/name}; for GitLab the numeric project id or the project path
     * @param token      read at every post, never kept in a message
     * @param clock      for rate-limit resets
     * @param sleeper    for rate-limit waits
     */
    public static StatusReporter create(ForgeKind kind, URI apiUrl, String repository, Supplier<String> token,
                                        HttpClient http, Clock clock, Sleeper sleeper) {
        URI api = kind == ForgeKind.GITHUB ? orDefault(apiUrl) : required(apiUrl, kind);
        StatusReporter forge = switch (kind) {
            case GITHUB -> new GitHubStatusReporter(api, repository, token, http, clock, sleeper);
            case GITLAB -> new GitLabStatusReporter(api, repository, token, http, clock, sleeper);
            case GITEA -> new GiteaStatusReporter(api, repository, token, http, clock, sleeper);
        };
        // what the forge holds is read before posting: quiet across restarts (see QuietReporter)
        forge = new QuietReporter(forge, new ForgeStatusReader(new ForgeApi(kind, api, token, http, clock, sleeper),
                repository));
        return new DeduplicatingReporter(forge);
    }

    private static URI orDefault(URI apiUrl) {
        return apiUrl == null ? GitHubStatusReporter.PUBLIC_API : apiUrl;
    }

    private static URI required(URI apiUrl, ForgeKind kind) {
        if (apiUrl == null) {
            throw new IllegalArgumentException("forge.api-url is required for forge type " + kind.configName());
        }
        return apiUrl;
    }
}
