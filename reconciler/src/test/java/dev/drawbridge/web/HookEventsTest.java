package dev.drawbridge.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.report.forge.ForgeKind;
import dev.drawbridge.testing.RealWorld;
import dev.drawbridge.values.CommitId;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HookEventsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

    static ObjectNode realPayload(String name) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readString(RealWorld.dir().resolve("github-webhooks/" + name)));
    }

    static byte[] bytes(Object node) throws Exception {
        return JSON.writeValueAsBytes(node);
    }

    @Test
    void aGitHubPushToABranchNamesTheBranchAndATagPushIsIgnored() throws Exception {
        ObjectNode push = realPayload("push-payload.json");
        assertThat(HookEvents.read(ForgeKind.GITHUB, "push", "application/json", bytes(push)))
                .isEqualTo(new HookEvent.Ignored("push to refs/tags/simple-tag is not a branch"));
        push.put("ref", "refs/heads/env/production");
        assertThat(HookEvents.read(ForgeKind.GITHUB, "push", "application/json", bytes(push)))
                .isEqualTo(new HookEvent.Push("env/production"));
    }

    @Test
    void aFormEncodedGitHubDeliveryIsReadFromItsPayloadField() throws Exception {
        ObjectNode push = realPayload("push-payload.json").put("ref", "refs/heads/env/dev");
        byte[] form = ("payload=" + URLEncoder.encode(JSON.writeValueAsString(push), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(HookEvents.read(ForgeKind.GITHUB, "push", "application/x-www-form-urlencoded", form))
                .isEqualTo(new HookEvent.Push("env/dev"));
    }

    @Test
    void aGitHubPullRequestOpenedOrSynchronizedNamesItsBaseHeadAndRef() throws Exception {
        for (String file : new String[] {"pull_request-opened.payload.json", "pull_request-synchronize.payload.json"}) {
            assertThat(HookEvents.read(ForgeKind.GITHUB, "pull_request", "application/json", bytes(realPayload(file))))
                    .isEqualTo(new HookEvent.PullRequest(2, "master", CommitId.of(SHA), "refs/pull/2/head"));
        }
        ObjectNode closed = realPayload("pull_request-opened.payload.json").put("action", "closed");
        assertThat(HookEvents.read(ForgeKind.GITHUB, "pull_request", "application/json", bytes(closed)))
                .isInstanceOf(HookEvent.Ignored.class);
    }

    @Test
    void aGiteaPullRequestUsesGiteasActionNames() throws Exception {
        ObjectNode pr = realPayload("pull_request-synchronize.payload.json").put("action", "synchronized");
        assertThat(HookEvents.read(ForgeKind.GITEA, "pull_request", "application/json", bytes(pr)))
                .isEqualTo(new HookEvent.PullRequest(2, "master", CommitId.of(SHA), "refs/pull/2/head"));
    }

    @Test
    void gitLabPushesAndMergeRequestsAreReadFromTheirOwnFields() throws Exception {
        ObjectNode push = JSON.createObjectNode().put("object_kind", "push").put("ref", "refs/heads/env/acceptance");
        assertThat(HookEvents.read(ForgeKind.GITLAB, "Push Hook", "application/json", bytes(push)))
                .isEqualTo(new HookEvent.Push("env/acceptance"));

        ObjectNode mr = JSON.createObjectNode().put("object_kind", "merge_request");
        ObjectNode attributes = mr.putObject("object_attributes").put("iid", 12).put("action", "update")
                .put("target_branch", "env/production").put("oldrev", "0".repeat(40));
        attributes.putObject("last_commit").put("id", SHA);
        assertThat(HookEvents.read(ForgeKind.GITLAB, "Merge Request Hook", "application/json", bytes(mr)))
                .isEqualTo(new HookEvent.PullRequest(12, "env/production", CommitId.of(SHA), "refs/merge-requests/12/head"));

        attributes.remove("oldrev");
        assertThat(HookEvents.read(ForgeKind.GITLAB, "Merge Request Hook", "application/json", bytes(mr)))
                .as("a title edit").isInstanceOf(HookEvent.Ignored.class);
        attributes.put("action", "merge");
        assertThat(HookEvents.read(ForgeKind.GITLAB, "Merge Request Hook", "application/json", bytes(mr)))
                .isInstanceOf(HookEvent.Ignored.class);
    }

    @Test
    void otherEventsAreIgnoredAndBrokenPayloadsRefused() throws Exception {
        assertThat(HookEvents.read(ForgeKind.GITHUB, "ping", "application/json", "{}".getBytes()))
                .isEqualTo(new HookEvent.Ignored("event ping is not handled"));
        assertThat(HookEvents.read(ForgeKind.GITHUB, null, "application/json", "{}".getBytes()))
                .isInstanceOf(HookEvent.Ignored.class);
        assertThatThrownBy(() -> HookEvents.read(ForgeKind.GITHUB, "push", "application/json", "not json".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> HookEvents.read(ForgeKind.GITHUB, "push", "application/json", "[]".getBytes()))
                .isInstanceOf(IllegalArgumentException.class);
        ObjectNode pr = realPayload("pull_request-opened.payload.json");
        ((ObjectNode) pr.path("pull_request").path("head")).put("sha", "../../etc");
        assertThatThrownBy(() -> HookEvents.read(ForgeKind.GITHUB, "pull_request", "application/json", bytes(pr)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid commit sha");
    }
}
