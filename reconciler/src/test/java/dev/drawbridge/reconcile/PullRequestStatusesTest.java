package dev.drawbridge.reconcile;

import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.report.forge.CommitStatus;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The commit statuses of a pull request head: checked, never applied, so PASS is success without a decision page. */
class PullRequestStatusesTest {

    static final String SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    static final EnvironmentConfig PRODUCTION = new EnvironmentConfig(EnvironmentName.of("production"), "env/production", "production", null,
            true, Duration.ofHours(1), null, false, false, Duration.ofMinutes(5), List.of());

    @Test
    void aCheckedHeadGetsPendingThenTheStateOfItsDecisionWithoutALink() {
        List<CommitStatus> posted = new CopyOnWriteArrayList<>();
        try (CommitStatuses statuses = new CommitStatuses(posted::add, null, null)) {
            statuses.checking(PRODUCTION, CommitId.of(SHA));
            statuses.checked(PRODUCTION, report(SHA, new GateResult(Decision.PASS, List.of(), List.of(), List.of(), List.of())));
            assertThat(statuses.flush(Duration.ofSeconds(5))).isTrue();
        }
        // a pending status still queued when the result arrives is superseded (AsyncReporter), never reordered
        assertThat(posted).extracting(CommitStatus::state)
                .isIn(List.of(CommitStatus.State.PENDING, CommitStatus.State.SUCCESS), List.of(CommitStatus.State.SUCCESS));
        assertThat(posted).allSatisfy(s -> {
            assertThat(s.sha().hex()).isEqualTo(SHA);
            assertThat(s.context()).isEqualTo("drawbridge/production");
            assertThat(s.targetUrl()).isNull();
            assertThat(s.branch()).as("not the environment branch: the head is not on it").isNull();
        });
        if (posted.size() == 2) {
            assertThat(posted.get(0).description()).contains("not applied");
        }
    }

    @Test
    void blockedIsFailureErrorIsErrorAndAHeadThatCouldNotBeFetchedGetsNothing() {
        List<CommitStatus> posted = new CopyOnWriteArrayList<>();
        try (CommitStatuses statuses = new CommitStatuses(posted::add, null, null)) {
            statuses.checked(PRODUCTION, report(SHA, new GateResult(Decision.BLOCK, List.of(), List.of(), List.of(), List.of())));
            statuses.checked(PRODUCTION, report("ab".repeat(20), GateResult.error(List.of("render: boom"))));
            statuses.checked(PRODUCTION, report(null, GateResult.error(List.of("source: unreachable"))));
            assertThat(statuses.flush(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(posted).extracting(CommitStatus::state).containsExactly(CommitStatus.State.FAILURE, CommitStatus.State.ERROR);
        assertThat(posted.get(1).description()).isEqualTo("error: render: boom");
    }

    static GateReport report(String sha, GateResult result) {
        return new GateReport(EnvironmentName.of("production"), sha == null ? null : CommitId.of(sha), "f".repeat(40), "production", result);
    }
}
