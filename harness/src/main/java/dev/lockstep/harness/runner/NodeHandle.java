package dev.lockstep.harness.runner;

import dev.lockstep.nemesis.process.ManagedProcess;
import java.nio.file.Path;

/**
 * One FT node of a test: its process, the address and ports it binds and the directory its logs go to.
 * Its links (and their proxies, in the proxy mode) are the cluster's.
 */
public record NodeHandle(String id, ManagedProcess process, String host, int clientPort, int logPort, Path dataDir) {}
