package dev.lockstep.nemesis;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Who a fault hits, named as Jepsen names them; resolved to concrete ids when the fault starts. */
public enum Target {
  PRIMARY("primary"),
  BACKUP("backup"),
  ZK("zk"),
  RANDOM_NODE("random-node"),
  ALL("all"),
  /** The links between the nodes, not the nodes: a partition of the logging channel alone (every node). */
  PEER("peer");

  private final String label;

  Target(String label) {
    this.label = label;
  }

  /** The name used in ops and on the command line. */
  public String label() {
    return label;
  }

  /**
   * The target named {@code label}.
   *
   * @throws IllegalArgumentException naming the bad label and the known ones
   */
  public static Target parse(String label) {
    for (Target t : values()) {
      if (t.label.equals(label)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown nemesis target '" + label + "'; known: "
            + Arrays.stream(values()).map(Target::label).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return label;
  }
}
