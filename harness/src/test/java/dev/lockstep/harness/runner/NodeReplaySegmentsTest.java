package dev.lockstep.harness.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.guests.Guests;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.replay.ReplayLogHeader;
import dev.lockstep.ftvm.replay.ReplayLogWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep replay} finds every run segment of a node, not only its first replay.log. */
class NodeReplaySegmentsTest {

  @Test
  void everySegmentOfARestartedNodeIsReplayedOnItsOwn(@TempDir Path run) throws Exception {
    byte[] kv = Guests.load("kv");
    Path n1 = Files.createDirectories(run.resolve("nodes/n1"));
    for (String name : List.of("replay.log", "replay-2.log", "replay-3.log")) {
      try (ReplayLogWriter w = ReplayLogWriter.create(n1.resolve(name),
          ReplayLogHeader.of(MachineConfig.RAM_BYTES_DEFAULT, 0, kv))) {
        // an empty run from boot, as a node killed at once leaves it: replayable as far as it goes
      }
    }
    Files.write(n1.resolve("replay-3.snapshot"), new byte[] {1, 2, 3}); // a segment that joined as backup
    List<NodeReplay.Outcome> out = NodeReplay.replayAll(run, "kv");
    assertEquals(List.of("n1", "n1/replay-2.log", "n1/replay-3.log"), out.stream().map(NodeReplay.Outcome::node).toList());
    assertEquals(NodeReplay.Verdict.INCOMPLETE, out.get(0).verdict(), out.get(0).detail());
    assertEquals(NodeReplay.Verdict.INCOMPLETE, out.get(1).verdict(), out.get(1).detail());
    assertEquals(NodeReplay.Verdict.DIFFERENT, out.get(2).verdict(), "replay-3 starts from its own snapshot, which is not a snapshot");
    assertTrue(out.get(2).detail().startsWith("cannot start the machine"), out.get(2).detail());
  }
}
