package dev.lockstep.nemesis;

import dev.lockstep.nemesis.clock.OffsetControl;
import dev.lockstep.nemesis.process.ManagedProcess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Cluster} assembled from handles the caller registered (node processes and clocks,
 * ZooKeeper server processes, links) and a {@link Roles} source for who is primary and backup now.
 * Immutable once built; the handles themselves are live.
 */
public final class BasicCluster implements Cluster {
  private final Roles roles;
  private final Map<String, ManagedProcess> nodes;
  private final Map<String, OffsetControl> clocks;
  private final Map<String, ManagedProcess> zkServers;
  private final List<Link> links;
  private final List<String> nodeIds;
  private final List<String> zkIds;

  private BasicCluster(Builder b) {
    this.roles = b.roles;
    this.nodes = Map.copyOf(b.nodes);
    this.clocks = Map.copyOf(b.clocks);
    this.zkServers = Map.copyOf(b.zkServers);
    this.links = List.copyOf(b.links);
    this.nodeIds = List.copyOf(b.nodes.keySet());
    this.zkIds = List.copyOf(b.zkServers.keySet());
  }

  public static Builder builder(Roles roles) {
    return new Builder(roles);
  }

  @Override
  public List<String> nodes() {
    return nodeIds;
  }

  @Override
  public Optional<String> primary() {
    return roles.primary();
  }

  @Override
  public Optional<String> backup() {
    return roles.backup();
  }

  @Override
  public List<String> zkServers() {
    return zkIds;
  }

  @Override
  public ManagedProcess process(String id) {
    ManagedProcess p = nodes.containsKey(id) ? nodes.get(id) : zkServers.get(id);
    if (p == null) {
      throw new IllegalArgumentException("no node or ZooKeeper server '" + id + "'; known: " + nodeIds + " " + zkIds);
    }
    return p;
  }

  @Override
  public List<Link> links() {
    return links;
  }

  @Override
  public OffsetControl clock(String node) {
    OffsetControl c = clocks.get(node);
    if (c == null) {
      throw new IllegalArgumentException("no clock control for node '" + node + "'; known: " + nodeIds);
    }
    return c;
  }

  /** Registers handles in order; ids must be unique across nodes and ZooKeeper servers. */
  public static final class Builder {
    private final Roles roles;
    private final Map<String, ManagedProcess> nodes = new LinkedHashMap<>();
    private final Map<String, OffsetControl> clocks = new LinkedHashMap<>();
    private final Map<String, ManagedProcess> zkServers = new LinkedHashMap<>();
    private final List<Link> links = new ArrayList<>();

    private Builder(Roles roles) {
      this.roles = Objects.requireNonNull(roles, "roles");
    }

    public Builder node(String id, ManagedProcess process, OffsetControl clock) {
      requireNew(id);
      nodes.put(id, Objects.requireNonNull(process, "process"));
      clocks.put(id, Objects.requireNonNull(clock, "clock"));
      return this;
    }

    public Builder zkServer(String id, ManagedProcess process) {
      requireNew(id);
      zkServers.put(id, Objects.requireNonNull(process, "process"));
      return this;
    }

    public Builder link(Link link) {
      links.add(Objects.requireNonNull(link, "link"));
      return this;
    }

    public BasicCluster build() {
      return new BasicCluster(this);
    }

    private void requireNew(String id) {
      if (nodes.containsKey(id) || zkServers.containsKey(id) || id.equals(Link.CLIENTS)) {
        throw new IllegalArgumentException("duplicate or reserved cluster id '" + id + "'");
      }
    }
  }
}
