package dev.lockstep.ftvm.node;

import java.util.Locale;

/**
 * Known defects a node can be told to plant ({@code --unsafe BUG}), so that the tester can prove it
 * catches them. Never for production use: each one breaks a guarantee on purpose.
 */
public enum UnsafeBug {
  /** Release output before the backup acked its entry. */
  SKIP_OUTPUT_RULE("skip-output-rule", "release output before the backup's ack"),
  /** Go live without the ZooKeeper test-and-set. */
  NO_GOLIVE_LOCK("no-golive-lock", "go live without the ZooKeeper test-and-set"),
  /** The backup reads its own clock instead of the logged value. */
  BACKUP_OWN_CLOCK("backup-own-clock", "the backup reads its own clock instead of the logged value"),
  /** The backup takes each timer interrupt one instruction after the icount the primary logged. */
  LATE_TIMER("late-timer", "the backup delivers timer interrupts one instruction late"),
  /** The backup acks entries before it stores them. */
  ACK_BEFORE_WRITE("ack-before-write", "the backup acks entries before it has stored them"),
  /** Client side: a retried request gets a fresh request id (the node only carries the flag). */
  NO_DEDUP("no-dedup", "client side: a retry gets a fresh request id (accepted and recorded here)");

  private final String flag;
  private final String meaning;

  UnsafeBug(String flag, String meaning) {
    this.flag = flag;
    this.meaning = meaning;
  }

  public String flag() {
    return flag;
  }

  public String meaning() {
    return meaning;
  }

  /** The bug named by a command-line flag. */
  public static UnsafeBug ofFlag(String flag) {
    for (UnsafeBug b : values()) {
      if (b.flag.equals(flag.toLowerCase(Locale.ROOT))) {
        return b;
      }
    }
    throw new IllegalArgumentException("unknown --unsafe bug '" + flag + "' (known: " + known() + ")");
  }

  public static String known() {
    StringBuilder sb = new StringBuilder();
    for (UnsafeBug b : values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(b.flag);
    }
    return sb.toString();
  }
}
