package dev.lockstep.ftvm.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimProcessTest {

  @Test
  void aPausedProcessRunsWhatFellDueLateAndInOrder() {
    Sim sim = new Sim(1);
    SimProcess p = new SimProcess(sim, "p");
    List<String> ran = new ArrayList<>();
    p.after(10, () -> ran.add("a@" + sim.now()));
    p.after(20, () -> ran.add("b@" + sim.now()));
    sim.runUntil(5);
    p.pause();
    sim.runUntil(100);
    assertEquals(List.of(), ran);
    p.resume();
    sim.runUntil(100);
    assertEquals(List.of("a@100", "b@100"), ran);
  }

  /** A task cancelled after it fell due in a pause must not run at resume (its owner replaced it). */
  @Test
  void aTaskCancelledWhileItsProcessIsPausedNeverRuns() {
    Sim sim = new Sim(1);
    SimProcess p = new SimProcess(sim, "p");
    List<String> ran = new ArrayList<>();
    Sim.Task stale = p.after(10, () -> ran.add("stale"));
    p.pause();
    sim.runUntil(50);
    stale.cancel();
    p.after(0, () -> ran.add("fresh"));
    p.resume();
    sim.runUntil(60);
    assertEquals(List.of("fresh"), ran);
  }

  @Test
  void aCrashedProcessRunsNothingAndTellsItsWatchers() {
    Sim sim = new Sim(1);
    SimProcess p = new SimProcess(sim, "p");
    List<String> ran = new ArrayList<>();
    p.onCrash(() -> ran.add("watcher"));
    p.after(10, () -> ran.add("task"));
    p.crash();
    p.crash();
    sim.runUntil(20);
    assertEquals(List.of("watcher"), ran);
  }
}
