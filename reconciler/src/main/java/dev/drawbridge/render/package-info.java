/**
 * Render: turns a directory of a {@link dev.drawbridge.source.Checkout} into a list of Kubernetes
 * objects, by running the Kustomize CLI safely (argument list, working directory confined to the
 * checkout, cleaned environment, timeout, bounded capture, and every URL or Helm chart a kustomization
 * or plugin configuration names refused before the build; see {@code docs/security/render.md}) or,
 * for a plain directory of YAML, by parsing its files. YAML is parsed with hard limits (aliases,
 * nesting, size, duplicate keys; {@link dev.drawbridge.yaml.YamlLimits#manifests}), and every failure is one {@link dev.drawbridge.render.RenderException}
 * that reads {@code FILE:LINE: what is wrong}. Depends only on {@code source} and on {@code yaml} for the
 * YAML loader and its limits.
 */
package dev.drawbridge.render;
