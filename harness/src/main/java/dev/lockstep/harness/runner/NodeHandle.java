package dev.lockstep.harness.runner;

import dev.lockstep.nemesis.process.ManagedProcess;
import dev.lockstep.nemesis.proxy.FaultProxy;
import java.nio.file.Path;

/**
 * One FT node of a test: its process, the ports it binds, the proxies in front of its links and the
 * directory its logs go to.
 *
 * @param clientProxy clients → this node's client port
 * @param logProxy the other node → this node's log port (the logging channel when this one is primary)
 * @param zkProxies this node → each ZooKeeper server
 */
public record NodeHandle(
    String id, ManagedProcess process, int clientPort, int logPort,
    FaultProxy clientProxy, FaultProxy logProxy, java.util.List<FaultProxy> zkProxies, Path dataDir) {}
