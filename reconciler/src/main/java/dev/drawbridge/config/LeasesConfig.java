package dev.drawbridge.config;

import java.time.Duration;

/**
 * {@code leases:} serve with several replicas (docs/operations.md, "Several replicas"): one Lease per
 * environment, {@code drawbridge-<environment>} in {@code namespace}; only its holder reconciles that
 * environment, checks its pull requests and posts its statuses. Absent: serve runs alone and holds every
 * environment.
 *
 * @param namespace where the Leases live: the pod's namespace by default, else {@code drawbridge-system}
 * @param duration  how long a Lease stays held without renewal (default 15s); a holder that stops renewing
 *                  is replaced within this plus one renew period
 * @param identity  this replica's name in the Leases (default: the host name; {@code ${POD_NAME}} reads
 *                  the variable)
 * @param cluster   where the Leases live (default: in-cluster, else the first environment's cluster)
 * @param renew     how often a holder renews and the others look (default: duration / 3)
 */
public record LeasesConfig(String namespace, Duration duration, String identity, ClusterConfig cluster, Duration renew) {
}
