package dev.lockstep.ftvm.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimClusterTest {
  @TempDir Path dir;

  @Test
  void aPrimaryAndABackupFormAndTheBackupGoesLiveWhenThePrimaryDies() {
    Sim sim = new Sim(1);
    SimCluster c = new SimCluster(sim, SimClusterSettings.defaults("kv", dir, Set.of()));
    sim.runUntil(5_000_000_000L);
    assertEquals("n1", c.publishedPrimary());
    assertEquals("primary", c.node("n1").role());
    assertEquals("backup", c.node("n2").role());
    c.kill("n1");
    sim.runUntil(10_000_000_000L);
    assertEquals("n2", c.publishedPrimary());
    assertEquals("primary", c.node("n2").role());
    c.restart("n1");
    sim.runUntil(15_000_000_000L);
    assertEquals("backup", c.node("n1").role());
    c.stop();
  }
}
