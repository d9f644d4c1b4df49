package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code reconcile --once} processes with nothing changed in between: the second posts nothing, because
 * what was posted is read from the forge (GitHub's statuses of the commit) or found in the Git note, not
 * remembered by the process that posted it.
 */
class QuietRestartTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    int reconcileOnce(CheckFixture f, Path config) {
        return Main.run(new PrintWriter(f.out, true), new PrintWriter(f.err, true),
                "reconcile", "--config", config.toString(), "--once");
    }

    Path clusterConfig(CheckFixture f, ApplyingMockServer cluster) throws Exception {
        return f.config(Files.readString(f.config()) + "    cluster: {kubeconfig: "
                + cluster.writeKubeconfig(dir.resolve("kubeconfig")) + ", context: mock}\n");
    }

    @Test
    void aSecondReconcileOnceWithNothingChangedPostsNoStatusToGitHub() throws Exception {
        WireMockServer github = new WireMockServer(options().dynamicPort());
        github.start();
        try (CheckFixture f = new CheckFixture(dir); ApplyingMockServer cluster = ApplyingMockServer.start()) {
            github.stubFor(post(urlPathEqualTo("/repos/platform/deploy/statuses/" + f.repo.head("env/production")))
                    .willReturn(aResponse().withStatus(201).withBody("{}")));
            Path token = dir.resolve("token");
            Files.writeString(token, "ghp_quiet_token\n");
            Path config = f.config(Files.readString(clusterConfig(f, cluster))
                    + "forge:\n  type: github\n  api-url: " + github.baseUrl() + "\n"
                    + "  repository: platform/deploy\n  token-file: " + token + "\n"
                    + "dashboard-url: https://drawbridge.example.com\n");
            String sha = f.repo.head("env/production");
            String posts = "/repos/platform/deploy/statuses/" + sha;

            assertThat(reconcileOnce(f, config)).as(f.err.toString()).isZero();
            List<LoggedRequest> first = github.findAll(postRequestedFor(urlEqualTo(posts)));
            assertThat(first).isNotEmpty();
            assertThat(first.get(first.size() - 1).getBodyAsString()).contains("\"state\":\"success\"");
            // the forge now holds what was posted: GET .../commits/{sha}/statuses lists it, newest first
            github.stubFor(get(urlEqualTo("/repos/platform/deploy/commits/" + sha + "/statuses?per_page=100"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(listed(first).toString())));
            github.resetRequests();

            assertThat(reconcileOnce(f, config)).as(f.err.toString()).isZero();

            assertThat(github.findAll(postRequestedFor(anyUrl()))).as("a restart with nothing changed posts nothing").isEmpty();
            assertThat(github.findAll(anyRequestedFor(anyUrl()))).extracting(LoggedRequest::getUrl)
                    .containsOnly("/repos/platform/deploy/commits/" + sha + "/statuses?per_page=100");
        } finally {
            github.stop();
        }
    }

    @Test
    void aSecondReconcileOnceWithNothingChangedPushesNoGitNote() throws Exception {
        try (CheckFixture f = new CheckFixture(dir); ApplyingMockServer cluster = ApplyingMockServer.start()) {
            Path config = f.config(Files.readString(clusterConfig(f, cluster)) + "forge: {type: git-notes}\n");

            assertThat(reconcileOnce(f, config)).as(f.err.toString()).isZero();
            ObjectId notes = notesRef(f);
            assertThat(notes).as("the outcome is written as a note").isNotNull();

            assertThat(reconcileOnce(f, config)).as(f.err.toString()).isZero();

            assertThat(notesRef(f)).as("no pending, no outcome written again: the notes ref did not move").isEqualTo(notes);
            assertThat(f.out.toString()).contains("PASS");
        }
    }

    /** The statuses as GitHub lists them: newest first, each with an id. */
    static ArrayNode listed(List<LoggedRequest> posted) throws Exception {
        ArrayNode list = JSON.createArrayNode();
        for (int i = posted.size() - 1; i >= 0; i--) {
            ObjectNode status = (ObjectNode) JSON.readTree(posted.get(i).getBodyAsString());
            status.put("id", 1000 + i);
            list.add(status);
        }
        return list;
    }

    static ObjectId notesRef(CheckFixture f) throws Exception {
        try (Git git = Git.open(f.repo.dir().toFile())) {
            return git.getRepository().resolve("refs/notes/drawbridge");
        }
    }
}
