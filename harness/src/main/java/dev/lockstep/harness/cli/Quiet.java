package dev.lockstep.harness.cli;

/**
 * Keeps the ZooKeeper and Curator client chatter of the harness process off the terminal, where the
 * status line and the verdict go. Must run before the first logger is created; the child processes
 * keep their own logs in the run directory.
 */
final class Quiet {

  private Quiet() {}

  static void libraries() {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.zookeeper", "off");
    setIfAbsent("org.slf4j.simpleLogger.log.org.apache.curator", "off");
    setIfAbsent("org.slf4j.simpleLogger.log.dev.lockstep.nemesis", "error");
    setIfAbsent("org.slf4j.simpleLogger.log.io.netty", "error");
  }

  /**
   * A simulated run's nodes live in this process: what they would log, their notes and event logs in
   * the run directory already hold, and a swarm's progress line must stay readable.
   */
  static void simulatedNodes() {
    setIfAbsent("org.slf4j.simpleLogger.log.dev.lockstep.ftvm", "off");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
