/**
 * The apply stage: writes a rendered, digest-pinned set of Kubernetes objects to one environment's cluster
 * with server-side apply (field manager {@code drawbridge}, forced conflicts), in stages (Namespaces and
 * CustomResourceDefinitions first), writing only what differs from the live state, pruning what left Git by
 * the environment's inventory kept in the cluster (only objects that still carry both ownership labels), undoing
 * and reporting drift (fields Drawbridge applies that someone changed, and fields and list items other field
 * managers added, read from {@code managedFields}; docs/security/drift.md), and optionally waiting for
 * the workloads to become healthy. The live state is read from watches: one informer per kind and cluster over the
 * objects labelled {@code app.kubernetes.io/managed-by: drawbridge}, shared by the cluster's environments, with labelled
 * lists until a watch has synced or while it is broken (docs/live-state.md). The result is a {@link dev.drawbridge.apply.ChangeSet}; a failure is an
 * {@link dev.drawbridge.apply.ApplyException} with one machine-readable reason.
 * The inventory and pruning live in {@code apply.inventory}, the health checks and waits in {@code apply.health};
 * {@code Cluster}, {@code ObjectRef}, {@code Manifests}' labels, {@code ApplyOrder} and the applier's failures are
 * public for them and for {@code decision} alone (checked in the build).
 * The gate's decisions are kept in the cluster by {@code dev.drawbridge.decision}, over the clients of this package.
 * Besides its sub-packages, depends on the shared {@code json} mappers and {@code retry} sleeper only; Fabric8 stays in it and
 * {@code decision} (the API speaks Jackson {@code ObjectNode}s and plain records).
 */
package dev.drawbridge.apply;
