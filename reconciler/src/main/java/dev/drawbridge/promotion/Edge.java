package dev.drawbridge.promotion;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.reconcile.PullRequestPoller;
import dev.drawbridge.values.EnvironmentName;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One promotion edge: what {@code source} applied is proposed to {@code target}.
 *
 * @param source the environment named by the target's {@code promote-from}
 * @param target the environment promoted to
 */
public record Edge(EnvironmentConfig source, EnvironmentConfig target) {

    /** The branch a promotion request is made from: {@code drawbridge/promote/<target>}. */
    public static final String BRANCH_PREFIX = PullRequestPoller.PROMOTION_BRANCH_PREFIX;

    public Edge {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }

    /** {@code drawbridge/promote/<target>}. */
    public String branch() {
        return BRANCH_PREFIX + target.name();
    }

    /** The edge into {@code target}, when it has {@code promote-from}. */
    public static Optional<Edge> into(DrawbridgeConfig config, EnvironmentName target) {
        return config.environment(target).filter(t -> t.promoteFrom() != null)
                .flatMap(t -> config.environment(t.promoteFrom()).map(s -> new Edge(s, t)));
    }

    /** Every edge whose target has a {@code promotion} other than {@code none}, in the configuration's order. */
    public static List<Edge> requested(DrawbridgeConfig config) {
        return config.environments().stream()
                .filter(t -> t.promoteFrom() != null && t.promotion() != EnvironmentConfig.Promotion.NONE)
                .map(t -> into(config, t.name()))
                .flatMap(Optional::stream)
                .toList();
    }

    @Override
    public String toString() {
        return source.name() + " -> " + target.name();
    }
}
