/**
 * Inspect: finds every container image reference in rendered Kubernetes objects, wherever a pod spec
 * can hold one ({@link dev.drawbridge.image.ImageInspector}, plus {@link dev.drawbridge.image.ExtraImagePath}s
 * for custom kinds), parses and normalises it ({@link dev.drawbridge.image.ImageReference}) and records
 * which workloads ({@link dev.drawbridge.image.WorkloadId}) use it. Also holds the image vocabulary
 * shared by later stages ({@link dev.drawbridge.image.Digest}, {@link dev.drawbridge.image.Severity}).
 * Depends on nothing internal.
 */
package dev.drawbridge.image;
