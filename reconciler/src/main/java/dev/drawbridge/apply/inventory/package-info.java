/**
 * What an environment applied, and the pruning of what left Git: the {@link dev.drawbridge.apply.inventory.Inventory}
 * (the ConfigMap {@code drawbridge-inventory-<env>} in the inventory namespace, objects matched by group, kind,
 * namespace and name) and the {@link dev.drawbridge.apply.inventory.Pruner}, which deletes in reverse apply order only
 * what the inventory names AND still carries, live, both ownership labels. Part of the apply stage: used by
 * {@link dev.drawbridge.apply.KubernetesApplier} and the live state of {@code apply}, nowhere else. Depends on
 * {@code apply} ({@code Cluster}, object references, apply order, ownership labels, change set entries) and the shared
 * {@code json} mappers; not on {@code apply.health}.
 */
package dev.drawbridge.apply.inventory;
