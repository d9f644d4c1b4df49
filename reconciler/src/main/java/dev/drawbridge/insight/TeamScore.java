package dev.drawbridge.insight;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One owner's row of the scoreboard, ranked best first (docs/priorities.md). Its components are exactly the
 * fields of its JSON row ({@link InsightJson}).
 *
 * @param team                     the owner ({@code drawbridge.dev/owner}), or {@code unowned}
 * @param images                   the images its workloads use, counted once per environment
 * @param passing                  of those, how many PASS
 * @param blocked                  how many are BLOCKed
 * @param warned                   how many WARN; the rest are unknown (not verified, or in an environment in ERROR)
 * @param fixableCriticalHigh      open CRITICAL and HIGH findings with a fixed version (vulnerability and image name)
 * @param exceptions               the exceptions it owns that still apply
 * @param nextExpiry               the soonest expiry among them; null when none
 * @param medianTimeToFixHours     median hours from an image blocked to the same image passing in a later decision;
 *                                 null when no block was fixed (or the decision records could not be read)
 * @param daysSinceProductionBlock whole days since it last had an image blocked in production (0: blocked now);
 *                                 null when never (as far as the decision records go)
 * @param rank                     1 for the best team
 */
public record TeamScore(String team, int images, int passing, int blocked, int warned, int fixableCriticalHigh,
                        int exceptions, LocalDate nextExpiry, Double medianTimeToFixHours,
                        Long daysSinceProductionBlock, int rank) {

    /** The owner of workloads without the label {@code drawbridge.dev/owner}. */
    public static final String UNOWNED = "unowned";

    public TeamScore {
        Objects.requireNonNull(team, "team");
    }

    /** Images whose verdict is not known: not verified, or in an environment whose decision is ERROR. */
    public int unknown() {
        return images - passing - blocked - warned;
    }

    /** The same row at another rank. */
    TeamScore withRank(int newRank) {
        return new TeamScore(team, images, passing, blocked, warned, fixableCriticalHigh, exceptions, nextExpiry,
                medianTimeToFixHours, daysSinceProductionBlock, newRank);
    }
}
