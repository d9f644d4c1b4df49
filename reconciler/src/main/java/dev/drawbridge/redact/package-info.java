/**
 * The one redactor ({@link dev.drawbridge.redact.Redactor}): removes the secrets it was given and whatever looks
 * like a credential (URL userinfo, query-string tokens, authorization headers, bearer tokens) from text and
 * exception chains. Depends on nothing internal; every package may use it.
 */
package dev.drawbridge.redact;
