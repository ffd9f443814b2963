package dev.lockstep.ftvm.sim;

import java.util.List;

/**
 * What a simulated run's clients and nemesis act on: a cluster of nodes in one {@link Sim}. Clients
 * find the primary as the real client library does (the record the coordination service publishes)
 * and talk to a node's client port; the nemesis injects faults by node id. Every method runs on the
 * simulation thread.
 */
public interface SimTarget {

  Sim sim();

  /** Node ids, in a fixed order. */
  List<String> nodes();

  /** The node the coordination service publishes as primary now, as clients read it; null when none. */
  String publishedPrimary();

  /** The exit code of a node killed by {@link #kill} (SIGKILL). */
  int KILLED = 137;

  /** How the node's current process ended: -1 while it runs, {@link #KILLED}, or the code it exited with. */
  int exitCode(String node);

  /** The client port of {@code node}: where clients send requests and get replies. */
  SimClientPort clientPort(String node);

  /** Whether {@code node} is a live primary with no backup attached: the only copy of the cluster's state. */
  boolean holdsOnlyCopy(String node);

  // ---- faults ----

  /**
   * Runs {@code fault} once, {@code delayNanos} after {@code node} next releases an output: a fault
   * timed to land in the narrow window the output rule and the go-live depend on. Returns what cancels
   * it (before it fired; after, it does nothing).
   */
  Runnable afterNextRelease(String node, long delayNanos, Runnable fault);

  /** SIGKILL: the node's process dies at once; only what it wrote to files survives. */
  void kill(String node);

  /** Starts a node whose process ended (killed or exited) again as a new process; it joins as backup. */
  void restart(String node);

  /** SIGSTOP / SIGCONT. */
  void pause(String node);

  void resume(String node);

  /** Cuts the logging channel's link between the two nodes (both ways, or one way from {@code from}). */
  void partitionPeers(String from, boolean oneWay);

  /** Cuts the node's link to the coordination service. */
  void cutCoordination(String node);

  /** Cuts every client's link to the node. */
  void partitionClients(String node);

  /** Heals every partition and cut. */
  void healNetwork();

  /** Moves the node's wall clock by {@code nanos} (forward or back). */
  void jumpClock(String node, long nanos);

  /** Runs the node's guest at {@code factor} of its normal speed (1.0 is normal): a slow or starved host. */
  void slow(String node, double factor);

  /** Ends the run: every node stops; files are flushed. */
  void stop();
}
