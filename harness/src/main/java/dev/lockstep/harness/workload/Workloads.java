package dev.lockstep.harness.workload;

import static dev.lockstep.harness.generator.Generators.weighted;

import dev.lockstep.harness.generator.Generator;
import dev.lockstep.harness.generator.Generators;
import dev.lockstep.harness.generator.KeyDistribution;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** The bundled workloads: {@code register}, {@code cas-register}, {@code kv} and {@code append}. */
public final class Workloads {

  public static final List<String> NAMES = List.of("register", "cas-register", "kv", "append");

  /** Checker names understood by the checkers facade. */
  public static final String LINEARIZABLE = "linearizability";
  public static final String DUPLICATES = "duplicates";
  public static final String DIVERGENCE = "divergence";
  public static final String SPLIT_BRAIN = "split-brain";
  public static final String STATS = "stats";

  private static final List<String> CLUSTER_CHECKERS = List.of(DIVERGENCE, SPLIT_BRAIN, STATS);

  private Workloads() {}

  /** The bundled guest workload {@code name} runs on: {@code kv} or {@code append}. */
  public static String guest(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("unknown workload '" + name + "' (" + String.join(", ", NAMES) + ")");
    }
    return name.equals("append") ? "append" : "kv";
  }

  /** The linearizability model of workload {@code name}. */
  public static String model(String name) {
    return switch (guest(name)) {
      case "append" -> "list-append";
      default -> name.equals("kv") ? "kv" : name;
    };
  }

  /**
   * The workload called {@code name}.
   *
   * @param transports opens a transport to the cluster for (target, client id)
   * @throws IllegalArgumentException for an unknown name
   */
  public static Workload named(
      String name, WorkloadOptions options, BiFunction<ClientTarget, Integer, GuestTransport> transports) {
    return switch (name) {
      case "register" -> kvWorkload(name, "register", null, options.withoutCas(), transports);
      case "cas-register" -> kvWorkload(name, "cas-register", null, options, transports);
      case "kv" -> kvWorkload(name, "kv", keys(options), options, transports);
      case "append" -> append(options, transports);
      default -> throw new IllegalArgumentException("unknown workload '" + name + "' (" + String.join(", ", NAMES) + ")");
    };
  }

  private static Workload kvWorkload(
      String name, String model, KeyDistribution keys, WorkloadOptions o,
      BiFunction<ClientTarget, Integer, GuestTransport> transports) {
    List<Generators.Weighted> mix = new ArrayList<>();
    if (o.readWeight() > 0) {
      mix.add(weighted(o.readWeight(), Generators.reads(keys)));
    }
    if (o.writeWeight() > 0) {
      mix.add(weighted(o.writeWeight(), Generators.writes(keys, o.valueBound())));
    }
    if (o.casWeight() > 0) {
      mix.add(weighted(o.casWeight(), Generators.cas(keys, o.valueBound())));
    }
    Generator generator = Generators.mix(mix);
    return new Workload(name, "kv", () -> new GuestClient(false, transports), generator, model, checkers());
  }

  private static Workload append(WorkloadOptions o, BiFunction<ClientTarget, Integer, GuestTransport> transports) {
    KeyDistribution keys = keys(o);
    List<Generators.Weighted> mix = new ArrayList<>();
    if (o.readWeight() > 0) {
      mix.add(weighted(o.readWeight(), Generators.reads(keys)));
    }
    mix.add(weighted(Math.max(1, o.writeWeight()), Generators.appends(keys)));
    Generator generator = Generators.mix(mix);
    return new Workload("append", "append", () -> new GuestClient(true, transports), generator, "list-append", checkers());
  }

  private static KeyDistribution keys(WorkloadOptions o) {
    return KeyDistribution.named(o.keyDistribution(), o.keyCount());
  }

  private static List<String> checkers() {
    List<String> names = new ArrayList<>();
    names.add(LINEARIZABLE);
    // Duplicate output is judged from the node event logs for every workload; list-append histories
    // reveal duplicated effects too.
    names.add(DUPLICATES);
    names.addAll(CLUSTER_CHECKERS);
    return List.copyOf(names);
  }
}
