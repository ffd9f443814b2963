package dev.lockstep.nemesis;

import java.util.Objects;

/**
 * One network link of a test between two endpoints (node ids, ZooKeeper server ids, or
 * {@link #CLIENTS}); {@code from} connects to {@code to}, so upstream is from → to. Its faults are made
 * by a fault proxy or by packet filters ({@link LinkFaults}). A partition of a node cuts its links to other cluster members but never its
 * client links: clients must still reach an isolated old primary, or split-brain would go unseen.
 */
public record Link(String name, Kind kind, String from, String to, LinkFaults faults) {
  /** The endpoint name of the clients' side of a client link. */
  public static final String CLIENTS = "clients";

  /** What a link carries. */
  public enum Kind {
    /** Clients to a node. */
    CLIENT,
    /** The FT logging channel between two nodes. */
    LOGGING,
    /** A node to a ZooKeeper server. */
    ZOOKEEPER
  }

  public Link {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(faults, "faults");
  }

  /** True if {@code id} is one of the endpoints. */
  public boolean touches(String id) {
    return from.equals(id) || to.equals(id);
  }
}
