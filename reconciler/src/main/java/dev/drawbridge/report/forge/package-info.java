/**
 * Forge reporting: posts a revision's decision as a commit status ({@code drawbridge/<environment>})
 * to GitHub, GitLab, Gitea/Forgejo, or as a Git note under {@code refs/notes/drawbridge}. A
 * {@link dev.drawbridge.report.forge.StatusReporter} talks to one forge; decorators keep the same status
 * from being posted twice ({@link dev.drawbridge.report.forge.DeduplicatingReporter}) and keep a slow or
 * rate-limited forge from blocking a reconcile ({@link dev.drawbridge.report.forge.AsyncReporter}).
 * Plain Java: {@code java.net.http}, Jackson and SLF4J; tokens are read at use and never logged.
 */
package dev.drawbridge.report.forge;
