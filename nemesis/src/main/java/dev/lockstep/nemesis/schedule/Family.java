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
  /** Isolate targets from the other cluster members: {@code target}. */
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

  private static final List<String> PARTITION_TARGETS = List.of("primary", "backup", "random-node", "zk", "all");
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

  /** The families that make faults themselves: every one but {@link #MIX} and {@link #ATTACK}. */
  public static List<Family> basic() {
    List<Family> basic = new ArrayList<>(Arrays.asList(values()));
    basic.remove(MIX);
    basic.remove(ATTACK);
    return Collections.unmodifiableList(basic);
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
      case MIX -> throw new IllegalStateException("mix draws from the basic families, it has no value of its own");
      case ATTACK -> v.put("attempt", pick(ATTACK_ATTEMPTS, random));
    }
    return Collections.unmodifiableMap(v);
  }

  private static String pick(List<String> options, SplittableRandom random) {
    return options.get(random.nextInt(options.size()));
  }

  @Override
  public String toString() {
    return label;
  }
}
