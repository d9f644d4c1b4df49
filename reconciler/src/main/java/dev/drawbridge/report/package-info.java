/**
 * Report: turns gate results (and, later, apply results) into what people read: the JSON, SARIF and
 * text forms of {@code check}, and the one-line commit status description. Depends on {@code gate}.
 */
package dev.drawbridge.report;
