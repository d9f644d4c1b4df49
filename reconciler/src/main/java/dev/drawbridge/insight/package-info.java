/**
 * Insight: from the gate results of every environment's current head to what people act on — the
 * priorities (one row per finding, the single fix that unblocks the most first), the team scoreboard
 * (one row per owner, best first) and the list of policy exceptions with the days they have left
 * (docs/priorities.md). Plain Java and pure: it is fed gate reports, owners, policies and decision
 * records ({@code decision}), and asks no registry and no cluster itself; {@link dev.drawbridge.insight.Insights} keeps what
 * it computed per environment head, so a warm view costs no lookup.
 */
package dev.drawbridge.insight;
