package dev.drawbridge.web;

import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Times are shown relative to the injected clock, with the exact time kept for the title. */
class MomentTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T16:40:59Z"), ZoneOffset.UTC);

    @Test
    void pastTimesReadAsAgoAndKeepTheExactIsoTime() {
        assertThat(Moment.of(Instant.parse("2026-12-03T16:37:30Z"), CLOCK))
                .isEqualTo(new Moment("3 min ago", "2026-12-03T16:37:30Z"));
        assertThat(Moment.of(Instant.parse("2026-12-03T16:40:57Z"), CLOCK).relative()).isEqualTo("just now");
        assertThat(Moment.of(Instant.parse("2026-12-03T16:40:29Z"), CLOCK).relative()).isEqualTo("30 s ago");
        assertThat(Moment.of(Instant.parse("2026-12-03T11:40:59Z"), CLOCK).relative()).isEqualTo("5 h ago");
        assertThat(Moment.of(Instant.parse("2026-11-30T16:40:59Z"), CLOCK).relative()).isEqualTo("3 days ago");
    }

    @Test
    void futureTimesReadAsInAndNoTimeReadsAsNever() {
        assertThat(Moment.of(Instant.parse("2026-12-03T16:41:39.5Z"), CLOCK))
                .isEqualTo(new Moment("in 40 s", "2026-12-03T16:41:39Z"));
        assertThat(Moment.of(null, CLOCK)).isEqualTo(Moment.NEVER);
    }

    @Test
    void aCardShowsWhenItWasCheckedRelativeToTheClockWithTheExactTimeInATitle() {
        dev.drawbridge.reconcile.EnvironmentStatus status = new dev.drawbridge.reconcile.EnvironmentStatus(EnvironmentName.of("production"),
                PagesTest.hostileOutcome(), Instant.parse("2026-12-03T16:37:59Z"), java.time.Duration.ofMillis(5), 0, null);

        String html = Pages.dashboard(new DashboardPage(java.util.List.of(EnvironmentCard.of(PagesTest.ENV, status,
                dev.drawbridge.reconcile.Owners.NONE, null, java.util.List.of(), CLOCK)), null, Moment.of(CLOCK.instant(), CLOCK)));

        assertThat(html).contains("<time datetime=\"2026-12-03T16:37:59Z\" title=\"2026-12-03T16:37:59Z\">3 min ago</time>");
    }
}
