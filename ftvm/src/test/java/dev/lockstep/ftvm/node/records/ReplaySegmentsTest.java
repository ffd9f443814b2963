package dev.lockstep.ftvm.node.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplaySegmentsTest {

  @Test
  void firstRunGetsReplayLogAndLaterRunsTheNextNumber(@TempDir Path dir) throws Exception {
    assertEquals(dir.resolve("replay.log"), ReplaySegments.next(dir));
    Files.createFile(dir.resolve("replay.log"));
    assertEquals(dir.resolve("replay-2.log"), ReplaySegments.next(dir));
    Files.createFile(dir.resolve("replay-2.log"));
    Files.createFile(dir.resolve("replay-10.log"));
    Files.createFile(dir.resolve("replay-x.log"));
    Files.createFile(dir.resolve("replay-2.snapshot"));
    assertEquals(dir.resolve("replay-11.log"), ReplaySegments.next(dir), "one past the highest: never an old name");
    assertEquals(List.of(dir.resolve("replay.log"), dir.resolve("replay-2.log"), dir.resolve("replay-10.log")),
        ReplaySegments.list(dir), "in run order");
    assertEquals(dir.resolve("replay-2.snapshot"), ReplaySegments.snapshotOf(dir.resolve("replay-2.log")));
    assertEquals(dir.resolve("replay.snapshot"), ReplaySegments.snapshotOf(dir.resolve("replay.log")));
  }
}
