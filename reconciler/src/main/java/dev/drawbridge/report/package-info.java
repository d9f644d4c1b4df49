/**
 * Report: turns gate results and apply results into what people read: the JSON, SARIF and text forms of
 * {@code check}, the one-line commit status description, commit statuses on the forges
 * ({@code report.forge}) and notifications ({@code report.notify}). Depends on {@code gate} and {@code apply}
 * results, and on the shared {@code json} mappers and {@code redact} redactor.
 */
package dev.drawbridge.report;
