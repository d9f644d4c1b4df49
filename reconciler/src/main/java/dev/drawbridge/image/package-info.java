/**
 * Inspect: finds every container image reference in rendered Kubernetes objects (wherever a pod spec
 * can hold one), parses and normalises it ({@link dev.drawbridge.image.ImageReference}) and records
 * which workloads use it. Depends on nothing internal.
 */
package dev.drawbridge.image;
