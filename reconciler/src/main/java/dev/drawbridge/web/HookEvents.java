package dev.drawbridge.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.json.Mappers;
import dev.drawbridge.report.forge.ForgeKind;
import dev.drawbridge.values.CommitId;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Reads an authentic webhook delivery into a {@link HookEvent}: pushes (GitHub and Gitea {@code push},
 * GitLab {@code Push Hook}) and pull/merge request events (GitHub and Gitea {@code pull_request}, GitLab
 * {@code Merge Request Hook}) whose head is new. Everything else is ignored, with the reason.
 */
final class HookEvents {

    /**
     * How deep a delivery's JSON may nest. The forges' payloads nest about six levels (pull_request.head.repo.owner);
     * anything much deeper is refused while it is read, before a tree is built.
     */
    static final int MAX_DEPTH = Mappers.MAX_API_DEPTH;
    private static final ObjectMapper JSON = Mappers.API;
    private static final String HEADS = "refs/heads/";
    /** GitHub: opened, synchronize, reopened; Gitea says synchronized. */
    private static final Set<String> NEW_HEAD = Set.of("opened", "synchronize", "synchronized", "reopened");
    private static final Set<String> GITLAB_NEW_HEAD = Set.of("open", "reopen", "update");

    private HookEvents() {
    }

    /**
     * @param contentType the request's content type (GitHub may send {@code application/x-www-form-urlencoded}
     *                    with the JSON in {@code payload})
     * @throws IllegalArgumentException when the body is not the JSON the event needs
     */
    static HookEvent read(ForgeKind forge, String event, String contentType, byte[] body) {
        if (event == null || event.isBlank()) {
            return new HookEvent.Ignored("no event type");
        }
        return switch (forge) {
            case GITHUB, GITEA -> switch (event) {
                case "push" -> push(json(contentType, body));
                case "pull_request" -> pullRequest(json(contentType, body));
                default -> new HookEvent.Ignored("event " + event + " is not handled");
            };
            case GITLAB -> switch (event) {
                case "Push Hook" -> push(json(contentType, body));
                case "Merge Request Hook" -> mergeRequest(json(contentType, body));
                default -> new HookEvent.Ignored("event " + event + " is not handled");
            };
        };
    }

    private static HookEvent push(JsonNode payload) {
        String ref = text(payload, "ref");
        if (!ref.startsWith(HEADS)) {
            return new HookEvent.Ignored("push to " + ref + " is not a branch");
        }
        return new HookEvent.Push(ref.substring(HEADS.length()));
    }

    /** GitHub and Gitea: {@code action}, {@code number}, {@code pull_request.base.ref}, {@code pull_request.head.sha}. */
    private static HookEvent pullRequest(JsonNode payload) {
        String action = text(payload, "action");
        if (!NEW_HEAD.contains(action)) {
            return new HookEvent.Ignored("pull request " + action);
        }
        long number = payload.path("number").asLong(0);
        if (number <= 0) {
            throw new IllegalArgumentException("pull request event without a number");
        }
        JsonNode pr = payload.path("pull_request");
        return new HookEvent.PullRequest(number, text(pr.path("base"), "ref"), sha(pr.path("head"), "sha"),
                "refs/pull/" + number + "/head");
    }

    /** GitLab: {@code object_attributes.{action, iid, target_branch, last_commit.id}}. */
    private static HookEvent mergeRequest(JsonNode payload) {
        JsonNode mr = payload.path("object_attributes");
        String action = mr.path("action").asText("");
        if (!GITLAB_NEW_HEAD.contains(action)) {
            return new HookEvent.Ignored("merge request " + (action.isEmpty() ? "event without action" : action));
        }
        if (action.equals("update") && !mr.has("oldrev")) {
            return new HookEvent.Ignored("merge request updated without new commits");
        }
        long iid = mr.path("iid").asLong(0);
        if (iid <= 0) {
            throw new IllegalArgumentException("merge request event without an iid");
        }
        return new HookEvent.PullRequest(iid, text(mr, "target_branch"), sha(mr.path("last_commit"), "id"),
                "refs/merge-requests/" + iid + "/head");
    }

    private static JsonNode json(String contentType, byte[] body) {
        try {
            if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                    if (pair.startsWith("payload=")) {
                        return object(JSON.readTree(URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8)));
                    }
                }
                throw new IllegalArgumentException("form-encoded delivery without a payload");
            }
            return object(JSON.readTree(body));
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("the body nests deeper than " + MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the body cannot be read: " + e.getMessage());
        }
    }

    private static JsonNode object(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        return node;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("the payload has no " + field);
        }
        return value.asText();
    }

    private static CommitId sha(JsonNode node, String field) {
        String sha = text(node, field);
        if (!sha.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
            throw new IllegalArgumentException("Invalid commit sha: " + sha);
        }
        return CommitId.of(sha);
    }
}
