/**
 * Source: desired state from Git, behind the port {@link dev.drawbridge.source.GitSource} (with
 * {@link dev.drawbridge.source.CommitHistory} for how fetched commits relate), implemented with JGit by the facade
 * {@link dev.drawbridge.source.JGitSource} over one class per job: {@code Fetcher} fetches an environment's branch
 * into a private bare mirror ({@code Mirrors}) and tells a force-push; {@code Materialiser} writes the tree at the
 * head into a private directory (a tree per revision, or an environment's slot updated in place);
 * {@code RevisionFiles} reads one file of a revision; {@code JGitHistory} answers contains and merge-base
 * questions. {@link dev.drawbridge.source.LocalDirectory} reads a local directory for {@code check --dir};
 * {@link dev.drawbridge.source.GitBranches} and {@link dev.drawbridge.source.GitNotes} write to the deploy
 * repository (promotion branches, deploy notes). Credentials are read at use and never appear in a message, a log
 * line or an exception chain ({@link dev.drawbridge.redact.Redactor}). Depends on nothing internal but the
 * redactor; JGit stays inside this package.
 */
package dev.drawbridge.source;
