/**
 * Source: fetches an environment's Git branch into a private bare mirror, resolves its head sha and
 * materialises the tree at that sha into a private directory ({@link dev.drawbridge.source.GitSource},
 * implemented with JGit by {@link dev.drawbridge.source.JGitSource}); also reads a local directory for
 * {@code check --dir} ({@link dev.drawbridge.source.LocalDirectory}). Credentials are read at use and
 * never appear in a message, a log line or an exception chain ({@link dev.drawbridge.redact.Redactor}).
 * Depends on nothing internal but the redactor; JGit stays inside this package.
 */
package dev.drawbridge.source;
