/**
 * Promotion requests (docs/promotion.md): for an environment with {@code promote-from: X} and
 * {@code promotion: pull-request | auto-merge}, one open pull request (merge request) per edge, from the branch
 * {@code drawbridge/promote/<environment>} set to exactly the revision X applied with PASS, into the
 * environment's branch; kept up to date, closed when the environment caught up, and merged through the
 * forge once the environment's gate passes on its head ({@code auto-merge}). Where the forge has no API
 * ({@code git-notes}, {@code none}), the revision is merged locally and pushed, only when the gate passes on
 * the merged tree. Git stays in {@code source}, forge HTTP in {@code report.forge}; everything the stage
 * knows is read back from Git, the decision records ({@code decision}) and the forge, so restarts and replicas open no second
 * request.
 */
package dev.drawbridge.promotion;
