package dev.lockstep.harness.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.harness.runner.RecordedOp;
import dev.lockstep.harness.runner.TestSettings;
import dev.lockstep.histories.Histories;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {

  @Test
  void settingsAndHistoryRoundTrip(@TempDir Path dir) throws Exception {
    TestSettings s = TestSettings.defaults().withSeed(77).withStore(dir.toString());
    RunDirectory run = RunStore.create(s, Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC));
    assertTrue(run.path().startsWith(dir.resolve(s.testName())));
    RunStore.writeSettings(run.path(), s);
    assertEquals(s, RunStore.readSettings(run.path()));
    RunStore.writeSettings(run.path(), s.withNet(TestSettings.NET_NETNS));
    assertEquals(s.withNet(TestSettings.NET_NETNS), RunStore.readSettings(run.path()), "rerun keeps --net netns");
    RunStore.writeSettings(run.path(), s);
    List<RecordedOp> recorded = List.of(
        new RecordedOp("invoke", "cas", List.of(1, 2), 0, 10, 0, null, null),
        new RecordedOp("info", "start-partition", Map.of("target", "primary"), RecordedOp.NEMESIS, 11, 1, null, null),
        new RecordedOp("fail", "cas", List.of(1, 2), 0, 12, 2, "cas-mismatch", 3));
    List<Op> ops = OpConversion.toOps(recorded);
    assertEquals(List.of(1L, 2L), ops.get(0).value());
    assertEquals(0L, ops.get(0).process());
    assertTrue(ops.get(1).isNemesis());
    assertEquals(3L, ops.get(2).key());
    RunStore.writeHistory(run.path(), ops);
    assertEquals(ops, Histories.read(run.historyJsonl()));
    assertEquals(3, Histories.read(run.historyEdn()).size());
    assertTrue(Files.isRegularFile(run.testJson()));
  }
}
