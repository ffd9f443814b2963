package dev.lockstep.harness.workload;

import dev.lockstep.harness.generator.Generator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A test's workload: its name, the bundled guest it needs ({@code kv} or {@code append}), a fresh
 * client per process, the generator (without time limit or rate: the runner adds those), the model the
 * linearizability checker uses, and the names of the checkers that apply to it.
 */
public record Workload(
    String name, String guest, Supplier<Client> clients, Generator generator, String model, List<String> checkers) {

  public Workload {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(guest, "guest");
    Objects.requireNonNull(clients, "clients");
    Objects.requireNonNull(generator, "generator");
    Objects.requireNonNull(model, "model");
    checkers = List.copyOf(checkers);
  }
}
