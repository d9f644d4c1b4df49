/**
 * Policy: the gate policy of an environment as code ({@code GatePolicy} files, docs/policies.md), loaded
 * and validated strictly by {@link dev.drawbridge.policy.PolicyLoader} (every problem named by file,
 * line and key path), and the value types the gate evaluates: registry globs, image and scan rules,
 * and vulnerability exceptions with their reason, owner and expiry. Depends on {@code image} and
 * {@code yaml}.
 */
package dev.drawbridge.policy;
