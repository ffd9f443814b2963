package dev.lockstep.harness.sim;

import dev.lockstep.ftvm.sim.Sim;
import dev.lockstep.ftvm.sim.SimCluster;
import dev.lockstep.ftvm.sim.SimClusterSettings;
import dev.lockstep.ftvm.sim.SimTarget;

/** The one place a simulated run gets its cluster: a primary/backup {@link SimCluster}. */
public final class SimTargets {

  private SimTargets() {}

  /** A fresh cluster in {@code sim}; draws its randomness from the Sim at construction. */
  public static SimTarget create(Sim sim, SimClusterSettings settings) {
    return new SimCluster(sim, settings);
  }
}
