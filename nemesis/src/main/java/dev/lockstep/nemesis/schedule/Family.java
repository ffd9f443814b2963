package dev.lockstep.nemesis.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A nemesis family and the fault parameters a schedule draws for it. Op values are plain maps with
 * keys in a fixed order, so a schedule prints and compares the same every time.
 */
public enum Family {
  /**
   * Isolate targets from the other cluster members: {@code target}; {@code peer} cuts only the logging
   * channel between the nodes, both ways, so each still reaches ZooKeeper and its clients and both contend.
   */
  PARTITION("partition"),
  /** SIGKILL targets, restart them at stop: {@code target}. */
  KILL("kill"),
  /** SIGSTOP targets, SIGCONT at stop: {@code target}. */
  PAUSE("pause"),
  /** Delay the logging channel and pause the backup on a duty cycle: {@code delay-ms, jitter-ms, pause-ms, run-ms}. */
  SLOW("slow"),
  /** Shift targets' clocks: {@code target, offset-ms}. */
  CLOCK("clock"),
  /** Kill or pause ZooKeeper servers: {@code mode} (kill/pause), {@code count} (minority/majority). */
  ZK("zk"),
  /** Each fault drawn from all the other families. */
  MIX("mix"),
  /**
   * Slow the backup on a duty cycle while the primary runs on, then kill the primary right after the
   * backup resumes, or while it is still stopped, so it goes live with many received but unexecuted
   * entries: {@code pause-ms, run-ms, kill-after-ms, then} ({@code kill-primary}, or {@code
   * kill-new-primary}: the new one too, a double failure), {@code kill} ({@code after-resume} or
   * {@code while-paused}).
   */
  CATCH_UP("catch-up"),
  /**
   * Kill and restart the backup, then, {@code delay-ms} later while it may still receive its snapshot and
   * the log after it, {@code action}: {@code kill-primary}, {@code cut-link} or {@code kill-backup}.
   */
  JOIN("join"),
  /** Cut one direction only: {@code direction} replies, requests (client links of the primary), acks or entries (logging channel). */
  ONE_WAY("one-way"),
  /** Reset connections of one kind of link of a target: {@code mode} (flaky: at random, reset: all and refuse), {@code link}, {@code target}. */
  FLAKY("flaky"),
  /**
   * ZooKeeper coordination faults: {@code mode} expire (refuse the primary's ZooKeeper links until its session
   * expires), expire-golive (kill the primary, then expire the session of the node going live), or
   * pause-epoch (pause the primary through the next epoch).
   */
  COORDINATION("coordination"),
  /** Each node's clock moves on its own: {@code mode} jumps (forward and back every period) or drift. */
  CLOCK_STORM("clock-storm"),
  /** Not a fault: lets kills and pauses take the last live copy of the cluster's state (beyond FT's promise). */
  DOUBLE_FAILURE("double-failure"),
  /**
   * An outsider without the cluster's secret who reaches every port and ZooKeeper, trying one kind of
   * attack per fault ({@code attempt}) and every kind at stop: never part of {@link #MIX}, named on its own.
   */
  ATTACK("attack");

  /** What the attack family tries (see {@link #ATTACK}). */
  public static final List<String> ATTACK_ATTEMPTS = List.of("rewrite-primary", "delete-epoch", "bump-epoch",
      "create-golive", "replay-log", "malformed-client");

  /** Largest clock offset a schedule draws. */
  public static final long CLOCK_OFFSET_MS_MAX = 60_000;
  /** Smallest clock offset a schedule draws. */
  public static final long CLOCK_OFFSET_MS_MIN = 100;
  /** Range of logging-channel delays the slow family draws. */
  public static final long SLOW_DELAY_MS_MIN = 10;
  public static final long SLOW_DELAY_MS_MAX = 200;
  /** Range of the backup's pause and run phases in the slow family's duty cycle. */
  public static final long SLOW_PHASE_MS_MIN = 50;
  public static final long SLOW_PHASE_MS_MAX = 500;

  /** The families the simulator models too; {@link Schedule} draws {@code mix} from these alone. */
  private static final List<Family> CLASSIC = List.of(PARTITION, KILL, PAUSE, SLOW, CLOCK, ZK);

  /** Range of the delay after which a catch-up kill or a join action lands. */
  public static final long KILL_AFTER_MS_MAX = 300;
  public static final long JOIN_DELAY_MS_MIN = 300;
  public static final long JOIN_DELAY_MS_MAX = 2_500;
  /** The backup's pause phase in catch-up stays below the nodes' failure timeout (600 ms), so it is slow, not dead. */
  public static final long CATCH_UP_PAUSE_MS_MAX = 450;
  /** Clock storms: tick period, jump size and drift rate ranges. */
  public static final long STORM_PERIOD_MS_MIN = 100;
  public static final long STORM_PERIOD_MS_MAX = 1_000;
  public static final long STORM_JUMP_MS_MAX = 5_000;
  public static final long STORM_DRIFT_MS_PER_S_MAX = 200;

  private static final List<String> ONE_WAY_DIRECTIONS = List.of("replies", "requests", "acks", "entries");
  private static final List<String> JOIN_ACTIONS = List.of("kill-primary", "cut-link", "kill-backup");
  private static final List<String> LINK_KINDS = List.of("logging", "zookeeper", "client");
  private static final List<String> COORDINATION_MODES = List.of("expire", "expire-golive", "pause-epoch");
  private static final List<String> PARTITION_TARGETS = List.of("primary", "backup", "random-node", "zk", "all", "peer");
  private static final List<String> KILL_TARGETS = List.of("primary", "backup", "random-node");
  private static final List<String> PAUSE_TARGETS = List.of("primary", "backup", "random-node", "all");
  private static final List<String> CLOCK_TARGETS = List.of("primary", "backup", "random-node", "all");

  private final String label;

  Family(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The op name that starts a fault of this family, e.g. {@code start-partition}. */
  public String startF() {
    return "start-" + label;
  }

  /** The op name that stops a fault of this family, e.g. {@code stop-partition}. */
  public String stopF() {
    return "stop-" + label;
  }

  /** The families that make faults themselves: every one but {@link #MIX}, {@link #ATTACK} and {@link #DOUBLE_FAILURE}. */
  public static List<Family> basic() {
    List<Family> basic = new ArrayList<>(Arrays.asList(values()));
    basic.remove(MIX);
    basic.remove(ATTACK);
    basic.remove(DOUBLE_FAILURE);
    return Collections.unmodifiableList(basic);
  }

  /** The six families the simulator shares with real runs; the one-at-a-time {@link Schedule}'s {@code mix}. */
  public static List<Family> classic() {
    return CLASSIC;
  }

  /**
   * The shortest fault of this family a schedule draws: an expired ZooKeeper session needs more than the
   * nodes' session timeout (4 s), a pause through an epoch more than a go-live.
   */
  public long durationMsMin() {
    return this == COORDINATION ? 6_500 : 0;
  }

  /**
   * The family named {@code label}.
   *
   * @throws IllegalArgumentException naming the bad label and the known ones
   */
  public static Family parse(String label) {
    for (Family f : values()) {
      if (f.label.equals(label.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown nemesis family '" + label.trim() + "'; known: "
            + Arrays.stream(values()).map(Family::label).collect(Collectors.joining(", ")) + ", none");
  }

  /** Parses a comma-separated list such as {@code partition,kill}; {@code none} or blank is the empty list. */
  public static List<Family> parseList(String labels) {
    String trimmed = labels.trim();
    if (trimmed.isEmpty() || trimmed.equals("none")) {
      return List.of();
    }
    List<Family> families = new ArrayList<>();
    for (String part : trimmed.split(",")) {
      Family f = parse(part);
      if (!families.contains(f)) {
        families.add(f);
      }
    }
    return List.copyOf(families);
  }

  /** Draws the parameters of one fault of this basic family. */
  Map<String, Object> drawValue(SplittableRandom random) {
    Map<String, Object> v = new LinkedHashMap<>();
    switch (this) {
      case PARTITION -> v.put("target", pick(PARTITION_TARGETS, random));
      case KILL -> v.put("target", pick(KILL_TARGETS, random));
      case PAUSE -> v.put("target", pick(PAUSE_TARGETS, random));
      case SLOW -> {
        v.put("target", "backup");
        long delayMs = random.nextLong(SLOW_DELAY_MS_MIN, SLOW_DELAY_MS_MAX + 1);
        v.put("delay-ms", delayMs);
        v.put("jitter-ms", delayMs / 4);
        v.put("pause-ms", random.nextLong(SLOW_PHASE_MS_MIN, SLOW_PHASE_MS_MAX + 1));
        v.put("run-ms", random.nextLong(SLOW_PHASE_MS_MIN, SLOW_PHASE_MS_MAX + 1));
      }
      case CLOCK -> {
        v.put("target", pick(CLOCK_TARGETS, random));
        // Log-uniform magnitude: small skews and minute-long jumps are both common.
        double logMin = Math.log(CLOCK_OFFSET_MS_MIN);
        double logMax = Math.log(CLOCK_OFFSET_MS_MAX);
        long magnitude = Math.round(Math.exp(logMin + random.nextDouble() * (logMax - logMin)));
        v.put("offset-ms", random.nextBoolean() ? magnitude : -magnitude);
      }
      case ZK -> {
        v.put("mode", random.nextBoolean() ? "kill" : "pause");
        v.put("count", random.nextBoolean() ? "minority" : "majority");
      }
      case CATCH_UP -> {
        v.put("target", "backup");
        v.put("pause-ms", random.nextLong(SLOW_PHASE_MS_MIN, CATCH_UP_PAUSE_MS_MAX + 1));
        v.put("run-ms", random.nextLong(SLOW_PHASE_MS_MIN / 2, SLOW_PHASE_MS_MAX / 2 + 1));
        v.put("kill-after-ms", random.nextLong(0, KILL_AFTER_MS_MAX + 1));
        v.put("then", random.nextInt(4) == 0 ? "kill-new-primary" : "kill-primary");
        v.put("kill", random.nextBoolean() ? "while-paused" : "after-resume");
      }
      case JOIN -> {
        v.put("action", pick(JOIN_ACTIONS, random));
        v.put("delay-ms", random.nextLong(JOIN_DELAY_MS_MIN, JOIN_DELAY_MS_MAX + 1));
      }
      case ONE_WAY -> v.put("direction", pick(ONE_WAY_DIRECTIONS, random));
      case FLAKY -> {
        v.put("mode", random.nextBoolean() ? "flaky" : "reset");
        v.put("link", pick(LINK_KINDS, random));
        v.put("target", pick(KILL_TARGETS, random));
        v.put("resets-per-s", Math.round((0.2 + 0.8 * random.nextDouble()) * 100) / 100.0);
      }
      case COORDINATION -> {
        v.put("mode", pick(COORDINATION_MODES, random));
        v.put("delay-ms", random.nextLong(0, 2 * KILL_AFTER_MS_MAX + 1));
      }
      case CLOCK_STORM -> {
        v.put("mode", random.nextBoolean() ? "jumps" : "drift");
        v.put("period-ms", random.nextLong(STORM_PERIOD_MS_MIN, STORM_PERIOD_MS_MAX + 1));
        v.put("jump-ms", random.nextLong(CLOCK_OFFSET_MS_MIN, STORM_JUMP_MS_MAX + 1));
        v.put("drift-ms-per-s", random.nextLong(1, STORM_DRIFT_MS_PER_S_MAX + 1));
      }
      case MIX -> throw new IllegalStateException("mix draws from the basic families, it has no value of its own");
      case ATTACK -> v.put("attempt", pick(ATTACK_ATTEMPTS, random));
      case DOUBLE_FAILURE -> throw new IllegalStateException("double-failure allows double failures, it makes no fault");
    }
    return Collections.unmodifiableMap(v);
  }

  /**
   * The value {@code text} stands for when a user pins {@code key} of this family's faults (written
   * {@code FAMILY:KEY=VALUE}, e.g. {@code partition:target=peer}): one of the words the family draws
   * that key from, or a number where it draws a number.
   *
   * @throws IllegalArgumentException naming the key and what it may be
   */
  public Object pinValue(String key, String text) {
    if (this == MIX || this == DOUBLE_FAILURE) {
      throw new IllegalArgumentException(label + " makes no faults of its own, so it takes no " + key + "=");
    }
    Map<String, Object> drawn = drawValue(new SplittableRandom(0));
    if (!drawn.containsKey(key)) {
      throw new IllegalArgumentException("unknown setting '" + key + "' (every=DUR, for=DUR or for=MIN-MAX"
          + (drawn.isEmpty() ? "" : ", or one of " + label + "'s parameters: " + String.join(", ", drawn.keySet()))
          + ")");
    }
    Object example = drawn.get(key);
    if (example instanceof String) {
      List<String> words = words(key);
      if (!words.contains(text)) {
        throw new IllegalArgumentException(key + "=" + text + ": " + label + "'s " + key + " is one of "
            + String.join(", ", words));
      }
      return text;
    }
    try {
      Number n = example instanceof Double ? (Number) Double.parseDouble(text) : (Number) Long.parseLong(text);
      boolean signed = key.equals("offset-ms"); // a clock goes back as well as forward
      if (Double.isNaN(n.doubleValue()) || Double.isInfinite(n.doubleValue()) || (!signed && n.doubleValue() < 0)) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + "=" + text + ": " + label + "'s " + key + " is a number"
          + (key.equals("offset-ms") ? "" : " >= 0"));
    }
  }

  /** The words this family draws {@code key} from. */
  private List<String> words(String key) {
    return switch (key) {
      case "target" -> switch (this) {
        case PARTITION -> PARTITION_TARGETS;
        case KILL, FLAKY -> KILL_TARGETS;
        case PAUSE -> PAUSE_TARGETS;
        case CLOCK -> CLOCK_TARGETS;
        default -> List.of("backup");
      };
      case "mode" -> switch (this) {
        case ZK -> List.of("kill", "pause");
        case FLAKY -> List.of("flaky", "reset");
        case COORDINATION -> COORDINATION_MODES;
        default -> List.of("jumps", "drift");
      };
      case "count" -> List.of("minority", "majority");
      case "then" -> List.of("kill-primary", "kill-new-primary");
      case "kill" -> List.of("while-paused", "after-resume");
      case "action" -> JOIN_ACTIONS;
      case "direction" -> ONE_WAY_DIRECTIONS;
      case "link" -> LINK_KINDS;
      case "attempt" -> ATTACK_ATTEMPTS;
      default -> throw new IllegalStateException("no words for " + label + "'s " + key);
    };
  }

  private static String pick(List<String> options, SplittableRandom random) {
    return options.get(random.nextInt(options.size()));
  }

  @Override
  public String toString() {
    return label;
  }
}
