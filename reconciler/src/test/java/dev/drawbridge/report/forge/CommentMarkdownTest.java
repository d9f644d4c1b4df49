package dev.drawbridge.report.forge;

import dev.drawbridge.apply.Action;
import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.apply.ChangeSetEntry;
import dev.drawbridge.apply.PlannedChanges;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The comment's markdown: what a reviewer needs, escaped, and bounded to what GitHub accepts. */
class CommentMarkdownTest {

    static final String SHA = "4f2c1a9b0e3d5f6a7b8c9d0e1f2a3b4c5d6e7f80";
    static final Digest DIGEST = Digest.of("sha256:" + "ab".repeat(32));

    static ImageVerdict image(String reference, Verdict verdict, Violation... violations) {
        return new ImageVerdict(reference, ImageReference.parse(reference), DIGEST, List.of("apps/v1/Deployment/shop/api"),
                verdict, List.of(violations), List.of());
    }

    static GateReport report(Decision decision, List<ImageVerdict> images) {
        return new GateReport(EnvironmentName.of("production"), CommitId.of(SHA), "e".repeat(40), "app",
                new GateResult(decision, images, List.of(), List.of(), List.of()));
    }

    @Test
    void saysTheDecisionEachImageWithItsViolationsAndFixesTheChangesAndTheLinks() {
        GateReport report = report(Decision.BLOCK, List.of(
                image("harbor.example.com/prod/shop/api:1.4.2", Verdict.BLOCK, new Violation("scan.severity",
                        "CVE-2026-1234 CRITICAL in openssl 3.0.13", "rebuild with openssl 3.0.15 or later", "CVE-2026-1234",
                        null, "openssl", "3.0.15")),
                image("harbor.example.com/prod/shop/web:2.0.0", Verdict.PASS)));
        PlannedChanges changes = new PlannedChanges(new ChangeSet(List.of(
                new ChangeSetEntry("Deployment/shop/api", Action.CONFIGURED, false),
                new ChangeSetEntry("Service/shop/api", Action.UNCHANGED, false),
                new ChangeSetEntry("ConfigMap/shop/new", Action.CREATED, false),
                new ChangeSetEntry("ConfigMap/shop/old", Action.DELETED, false))),
                Map.of("ConfigMap/shop/new", "admission webhook denied it"));

        String text = CommentMarkdown.render(new CommentMarkdown.Content(EnvironmentName.of("production"), "refs/pull/7/head", report, changes,
                "compared with the live cluster", "https://drawbridge.example.com/environments/production/decisions/" + SHA,
                "https://drawbridge.example.com"), 65_000);

        assertThat(text).contains("### Drawbridge: production — blocked", "Head `4f2c1a9b0e3d` of `refs/pull/7/head`",
                "**Decision: BLOCK**",
                "| `harbor.example.com/prod/shop/api:1.4.2` | BLOCK | `sha256:abab",
                "**scan.severity**: CVE-2026-1234 CRITICAL in openssl 3.0.13 — fix: rebuild with openssl 3.0.15 or later",
                "| `harbor.example.com/prod/shop/web:2.0.0` | PASS |",
                "1 created, 1 configured, 1 pruned, 1 unchanged",
                "- created: `ConfigMap/shop/new` — **the API server refuses it:** admission webhook denied it",
                "- configured: `Deployment/shop/api`", "- pruned: `ConfigMap/shop/old`",
                "(https://drawbridge.example.com/environments/production/decisions/" + SHA + ")");
    }

    @Test
    void escapesWhatScannersAndManifestsSaySoNothingBreaksTheTableOrTheMarker() {
        GateReport report = report(Decision.BLOCK, List.of(image("harbor.example.com/prod/shop/api:1.4.2", Verdict.BLOCK,
                Violation.of("scan.severity", "a | b\nc --> <!-- drawbridge:production --> <script>", "fix `it`"))));

        String text = CommentMarkdown.render(new CommentMarkdown.Content(EnvironmentName.of("production"), "refs/pull/7/head", report, null,
                "The cluster could not be read.", null, null), 65_000);

        assertThat(text).contains("a \\| b c --&gt; &lt;!-- drawbridge:production --&gt; &lt;script&gt;", "fix 'it'",
                "The cluster could not be read.").doesNotContain("<script>", "-->");
    }

    @Test
    void aHugeDecisionIsCutToTheRoomWithTheNumberOfImagesLeftOut() {
        List<ImageVerdict> images = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            images.add(image("harbor.example.com/prod/team/app-" + i + ":1.0." + i, Verdict.BLOCK,
                    Violation.of("scan.severity", "CVE-2026-" + i + " CRITICAL in libfoo", "update libfoo to 2.0")));
        }
        int room = PullRequestComment.room(EnvironmentName.of("production"));

        String text = CommentMarkdown.render(new CommentMarkdown.Content(EnvironmentName.of("production"), "refs/pull/7/head",
                report(Decision.BLOCK, images), null, "not known", null, "https://drawbridge.example.com"), room);

        assertThat(text.length()).isLessThanOrEqualTo(room);
        assertThat(text).containsPattern("\\| … \\+\\d+ more \\|").contains("[Dashboard](https://drawbridge.example.com)");
        int shown = text.split("\\| BLOCK \\|", -1).length - 1;
        assertThat(text).contains("+" + (2000 - shown) + " more");
        assertThat(new PullRequestComment(7, EnvironmentName.of("production"), text).body()).hasSizeLessThanOrEqualTo(PullRequestComment.MAX_BODY);
    }
}
