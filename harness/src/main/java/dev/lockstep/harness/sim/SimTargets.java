package dev.lockstep.harness.sim;

import dev.lockstep.ftvm.sim.Sim;
import dev.lockstep.ftvm.sim.SimClusterSettings;
import dev.lockstep.ftvm.sim.SimTarget;

/**
 * The one place a simulated run gets its cluster. TODO(issue 13): point {@link #create} at the FT cluster
 * ({@code SimCluster}) once it runs; until then it builds the {@link SoloTarget} stand-in (one guest, no FT).
 */
public final class SimTargets {

  private SimTargets() {}

  /** A fresh cluster in {@code sim}; draws its randomness from the Sim at construction. */
  public static SimTarget create(Sim sim, SimClusterSettings settings) {
    return new SoloTarget(sim, settings);
  }
}
