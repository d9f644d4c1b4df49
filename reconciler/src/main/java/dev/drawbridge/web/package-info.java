/**
 * {@code drawbridge serve}: the Spring Boot application (the only other Spring code is {@code config.spring},
 * which reads the configuration's {@code drawbridge.*} properties before it starts). A programmatic Spring Boot application
 * ({@link dev.drawbridge.web.DrawbridgeServer}) wires the plain-Java engine (stages, clusters, pipeline,
 * the per-environment {@link dev.drawbridge.reconcile.ReconcileLoop}), schedules it, and serves what it
 * decided: {@code /actuator/health} (environment health), {@code /actuator/prometheus} (reconcile and
 * registry metrics), a small REST API under {@code /api/environments}, {@code /api/priorities} and
 * {@code /api/teams}, and server-rendered HTML from jte templates compiled at build time (the dashboard at
 * {@code /}, {@code /priorities}, {@code /teams}, {@code /exceptions}, and the decision page behind every commit
 * status' target_url; docs/dashboard.md), and the webhooks
 * {@code POST /hooks/github|gitlab|gitea} (pushes trigger a reconcile, pull requests a check of their head).
 * The webhook logic that needs no Spring (signatures, payloads, delivery ids) is in plain classes here.
 */
package dev.drawbridge.web;
