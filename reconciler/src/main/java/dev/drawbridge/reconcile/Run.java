package dev.drawbridge.reconcile;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;

import java.util.Objects;

/**
 * One run of the stages for one environment, and what it is for: a check ({@code check}, {@code report},
 * {@code promote}), a pull request's check, or a reconcile. Each purpose runs a prefix of the same list
 * (docs/architecture.md).
 *
 * @param ref where the manifests are read: the environment's branch, or a pull request's ref
 *            ({@code refs/pull/7/head}); the policy always comes from the policy source
 */
record Run(DrawbridgeConfig config, EnvironmentConfig env, String ref, CheckOptions options, Purpose purpose) {

    static Run check(DrawbridgeConfig config, EnvironmentConfig env, CheckOptions options) {
        return new Run(config, env, env.branch(), options, Purpose.CHECK);
    }

    static Run pullRequest(DrawbridgeConfig config, EnvironmentConfig env, String ref) {
        return new Run(config, env, ref, CheckOptions.DEFAULT, Purpose.PULL_REQUEST);
    }

    static Run reconcile(DrawbridgeConfig config, EnvironmentConfig env) {
        return new Run(config, env, env.branch(), CheckOptions.DEFAULT, Purpose.RECONCILE);
    }

    enum Purpose {
        /** Source to promotion evidence, on a tree of its own per revision; nothing is posted. */
        CHECK,
        /** As a check, and {@code pending} is posted on the pull request's head. */
        PULL_REQUEST,
        /** Every stage, on the environment's own tree (updated in place from one revision to the next). */
        RECONCILE
    }

    Run {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(purpose, "purpose");
    }

    boolean reconciles() {
        return purpose == Purpose.RECONCILE;
    }
}
