package dev.lockstep.nemesis;

import java.util.List;
import java.util.Optional;

/**
 * Who is who right now, as the harness knows it (from ZooKeeper or the nodes' event logs). Asked
 * when a fault starts, so a {@code primary} target hits the primary of that moment.
 */
public interface TargetResolver {
  /** Every node id, in a stable order. */
  List<String> nodes();

  /** The current primary, if one is known. */
  Optional<String> primary();

  /** The current backup, if one is known. */
  Optional<String> backup();

  /** Every ZooKeeper server id, in a stable order. */
  List<String> zkServers();
}
