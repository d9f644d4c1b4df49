package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.json.Mappers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps one comment per pull request and environment on GitHub, GitLab or Gitea ({@link ForgeKind} has the
 * paths): the comment is found by its marker among all the pull request's comments (every page), edited when
 * it says something else, created when there is none. Never a second one: the id of the comment is kept once
 * found or created; after a restart it is found again by the marker. A kept id that the forge no longer knows
 * (deleted by hand) is looked up again.
 */
public final class ForgeCommentReporter implements CommentReporter {

    /** Pages of comments read at most while looking for the marker. */
    static final int MAX_PAGES = 50;

    private static final ObjectMapper JSON = Mappers.API;
    private static final Logger log = LoggerFactory.getLogger(ForgeCommentReporter.class);

    /** A comment of ours: its id and the body it has now. */
    private record Kept(long id, String body) {
    }

    private final ForgeApi api;
    private final String repository;
    private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            return size() > DeduplicatingReporter.DEFAULT_MAX_ENTRIES;
        }
    };

    public ForgeCommentReporter(ForgeApi api, String repository) {
        this.api = Objects.requireNonNull(api, "api");
        if (repository == null || repository.isBlank()) {
            throw new IllegalArgumentException("Invalid repository: " + repository);
        }
        this.repository = repository.strip();
    }

    @Override
    public void publish(PullRequestComment comment) throws ForgeException {
        Kept known;
        synchronized (kept) {
            known = kept.get(comment.key());
        }
        if (known == null) {
            known = find(comment).orElse(null);
        }
        ForgeKind kind = api.kind();
        String body = comment.body();
        if (known == null) {
            ForgeApi.Answer created = api.write("POST", kind.createCommentPath(repository, comment.number()), json(body));
            long id = created.body().path("id").asLong(0);
            remember(comment, id, body);
            log.info("{}: created {}", kind.configName(), comment);
            return;
        }
        if (known.body().equals(body)) {
            remember(comment, known.id(), body);
            log.debug("{}: {} unchanged", kind.configName(), comment);
            return;
        }
        try {
            api.write(kind.editMethod(), kind.editCommentPath(repository, comment.number(), known.id()), json(body));
        } catch (ForgeException e) {
            if (e.statusCode() == 404) {
                forget(comment); // deleted meanwhile: the next attempt looks for it again, or creates it
            }
            throw e;
        }
        remember(comment, known.id(), body);
        log.info("{}: edited {}", kind.configName(), comment);
    }

    /** The oldest comment of the pull request that carries the marker, read page by page. */
    private Optional<Kept> find(PullRequestComment comment) throws ForgeException {
        ForgeKind kind = api.kind();
        for (int page = 1; page <= MAX_PAGES; page++) {
            ForgeApi.Answer answer = api.get(kind.commentsPath(repository, comment.number(), page));
            if (answer.statusCode() == 404) {
                throw new ForgeException(kind.configName(), 404, false,
                        kind.configName() + ": pull request #" + comment.number() + " not found");
            }
            JsonNode items = answer.body();
            for (JsonNode item : items) {
                String body = item.path("body").asText("");
                if (body.strip().startsWith(comment.marker()) && item.hasNonNull("id")) {
                    return Optional.of(new Kept(item.path("id").asLong(), body));
                }
            }
            if (!kind.pagesComments() || items.size() < ForgeKind.PER_PAGE) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private void remember(PullRequestComment comment, long id, String body) {
        if (id <= 0) {
            return; // the forge did not say; the next publish looks it up by the marker
        }
        synchronized (kept) {
            kept.put(comment.key(), new Kept(id, body));
        }
    }

    private void forget(PullRequestComment comment) {
        synchronized (kept) {
            kept.remove(comment.key());
        }
    }

    private static ObjectNode json(String body) {
        return JSON.createObjectNode().put("body", body);
    }

    @Override
    public String toString() {
        return "ForgeCommentReporter[" + api + ", " + repository + "]";
    }
}
