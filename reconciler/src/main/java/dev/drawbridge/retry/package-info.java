/**
 * Retries (docs/retries.md): the one backoff ({@link dev.drawbridge.retry.Backoff}), the one way to wait
 * ({@link dev.drawbridge.retry.Sleeper}, injected so tests move a clock instead of sleeping), the one bounded
 * worker that delivers off the caller's thread and retries ({@link dev.drawbridge.retry.RetryQueue}), and the
 * journal that keeps what is still owed across a restart ({@link dev.drawbridge.retry.OwedDeliveries}). Depends
 * on nothing else of Drawbridge; plain Java, Jackson and SLF4J.
 */
package dev.drawbridge.retry;
