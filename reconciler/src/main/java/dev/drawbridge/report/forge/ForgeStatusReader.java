package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;
import java.util.Optional;

/**
 * Reads a commit's statuses from GitHub, GitLab or Gitea (paths and fields in {@link ForgeKind}) and answers
 * the newest one of a context: the one with the highest id, whatever order the forge lists them in.
 */
public final class ForgeStatusReader implements StatusReader {

    private final ForgeApi api;
    private final String repository;

    public ForgeStatusReader(ForgeApi api, String repository) {
        this.api = Objects.requireNonNull(api, "api");
        if (repository == null || repository.isBlank()) {
            throw new IllegalArgumentException("Invalid repository: " + repository);
        }
        this.repository = repository.strip();
    }

    @Override
    public Optional<Current> current(String sha, String context) throws ForgeException {
        ForgeKind kind = api.kind();
        ForgeApi.Answer answer = api.get(kind.statusesPath(repository, sha, context));
        if (answer.statusCode() == 404 || !answer.body().isArray()) {
            return Optional.empty();
        }
        JsonNode newest = null;
        for (JsonNode status : answer.body()) {
            if (context.equals(status.path(kind.contextField()).asText(null))
                    && (newest == null || status.path("id").asLong() > newest.path("id").asLong())) {
                newest = status;
            }
        }
        return newest == null ? Optional.empty()
                : Optional.of(new Current(newest.path(kind.stateField()).asText(""), newest.path("description").asText("")));
    }

    /** The forge's name of a state. */
    String stateName(CommitStatus.State state) {
        return api.kind().state(state);
    }

    @Override
    public String toString() {
        return "ForgeStatusReader[" + api + ", " + repository + "]";
    }
}
