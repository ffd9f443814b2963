package dev.lockstep.ftvm.golive;

import java.net.InetSocketAddress;
import java.util.Objects;

/** Where a node serves: its id, host, client port and logging-channel port. */
public record NodeAddress(String nodeId, String host, int clientPort, int logPort) {
  public NodeAddress {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(host, "host");
  }

  public InetSocketAddress clientAddress() {
    return new InetSocketAddress(host, clientPort);
  }

  public InetSocketAddress logAddress() {
    return new InetSocketAddress(host, logPort);
  }
}
