/**
 * Forge reporting: posts a revision's decision as a commit status ({@code drawbridge/<environment>})
 * to GitHub, GitLab, Gitea/Forgejo, or as a Git note under {@code refs/notes/drawbridge}, and keeps one
 * comment with the gate's verdict on each pull request checked. A
 * {@link dev.drawbridge.report.forge.StatusReporter} talks to one forge; decorators keep the same status
 * from being posted twice, by this process ({@link dev.drawbridge.report.forge.DeduplicatingReporter}) and
 * after a restart (the forge is asked first, {@link dev.drawbridge.report.forge.QuietReporter}), and keep a
 * slow or rate-limited forge from blocking a reconcile ({@link dev.drawbridge.report.forge.AsyncReporter},
 * {@link dev.drawbridge.report.forge.AsyncComments}). Comments are found again by a hidden marker
 * ({@link dev.drawbridge.report.forge.ForgeCommentReporter}). Plain Java: {@code java.net.http}, Jackson and
 * SLF4J; tokens are read at use and never logged, nor sent in a body.
 */
package dev.drawbridge.report.forge;
