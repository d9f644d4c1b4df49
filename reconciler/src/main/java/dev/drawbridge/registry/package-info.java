/**
 * Verify, registry side: asks container registries what the gate needs to know about each image. The
 * OCI distribution API (with its Bearer token flow and Basic auth) resolves a tag to the digest it points
 * at now and reads the manifests and image configs ({@code created}) of every checked platform of a
 * multi-arch index; the scan result comes from Harbor's REST API v2.0 ({@code scan_overview} and the
 * vulnerabilities addition) or, for any OCI registry, from artifacts attached to the digest (referrers API,
 * else the {@code sha256-<hex>} referrers tag), recognised by content: Trivy JSON reports and cosign
 * vulnerability attestations, plus CycloneDX/SPDX SBOMs. Where a registry names trusted keys ({@code signed-by}),
 * only DSSE envelopes signed by one of them over an in-toto statement about the digest count
 * ({@link dev.drawbridge.registry.AttestationVerifier}). TLS always checks certificates (the JDK's authorities plus
 * a registry's {@code ca-file}); credentials never follow a redirect to another origin, nor to plain http.
 * {@link dev.drawbridge.registry.RegistryLookup} is the
 * port: concurrent, bounded per registry, coalesced, cached by registry + repository + digest, and fail-closed
 * (every problem is a {@link dev.drawbridge.registry.RegistryException} saying "could not verify", never a
 * secret). Depends only on {@code image} and {@code json}, the JDK HTTP client and Jackson.
 */
package dev.drawbridge.registry;
