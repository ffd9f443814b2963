package dev.lockstep.nemesis;

import java.util.List;

/**
 * Who is who right now, as the harness knows it (from ZooKeeper or the nodes' event logs). Asked
 * when a fault starts, so a {@code primary} target hits the primary of that moment.
 */
public interface TargetResolver extends Roles {
  /** Every node id, in a stable order. */
  List<String> nodes();

  /** Every ZooKeeper server id, in a stable order. */
  List<String> zkServers();
}
