package dev.lockstep.harness.sim;

import dev.lockstep.harness.runner.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a seed draws for its run besides the workload's own choices (swarm testing): which fault families
 * the nemesis uses and how often, how many clients and how fast, and whether partitions also cut client
 * links. Different seeds stress different mixes, so a bug that one fault kind hides shows up under another.
 *
 * @param nemesis fault families ({@code partition}, {@code kill}, ...), possibly none
 * @param nemesisIntervalSeconds mean simulated seconds between and during faults
 * @param concurrency client processes at a time
 * @param rate ops per simulated second across all clients
 * @param clientCuts whether a partition also cuts the client links of the nodes it isolates
 * @param releaseTimed whether a kill, pause or partition of the primary waits for its next released output
 *     and lands a few hundred microseconds after it, inside the windows of the output rule and the go-live
 */
public record SimMix(List<String> nemesis, double nemesisIntervalSeconds, int concurrency, double rate, boolean clientCuts,
    boolean releaseTimed) {

  /** Families a seed may draw; each is in or out with even odds. */
  public static final List<String> FAMILIES = List.of("partition", "kill", "pause", "slow", "clock", "zk");
  /** A family drawn from its own child seed, so adding it left every seed's other draws as they were. */
  public static final String CATCH_UP = "catch-up";
  public static final int CONCURRENCY_MIN = 2;
  public static final int CONCURRENCY_MAX = 8;
  public static final int RATE_MIN = 20;
  public static final int RATE_MAX = 200;
  public static final double INTERVAL_SECONDS_MIN = 0.5;
  public static final double INTERVAL_SECONDS_MAX = 6;

  public SimMix {
    nemesis = List.copyOf(nemesis);
  }

  /** The mix of {@code seed}: a pure function of it, drawn from its own named child seed. */
  public static SimMix draw(long seed) {
    SplittableRandom r = new Seeds(seed).random("swarm-mix");
    List<String> families = new ArrayList<>();
    for (String f : FAMILIES) {
      if (r.nextBoolean()) {
        families.add(f);
      }
    }
    if (families.isEmpty() && r.nextInt(4) != 0) {
      families.add(FAMILIES.get(r.nextInt(FAMILIES.size()))); // a few runs stay fault-free on purpose
    }
    // Rounded so the settings print as short numbers.
    double interval = Math.round((INTERVAL_SECONDS_MIN + r.nextDouble() * (INTERVAL_SECONDS_MAX - INTERVAL_SECONDS_MIN)) * 10) / 10.0;
    int concurrency = r.nextInt(CONCURRENCY_MIN, CONCURRENCY_MAX + 1);
    int rate = r.nextInt(RATE_MIN, RATE_MAX + 1);
    boolean clientCuts = r.nextBoolean();
    boolean releaseTimed = r.nextBoolean();
    if (!families.isEmpty() && new Seeds(seed).random("swarm-catch-up").nextInt(3) == 0) {
      families.add(CATCH_UP);
    }
    return new SimMix(families, interval, concurrency, rate, clientCuts, releaseTimed);
  }
}
