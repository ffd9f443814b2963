package dev.lockstep.histories;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryWriterTest {
  @Test
  void concurrentAppendsLandWholeInEveryFormat(@TempDir Path dir) throws Exception {
    for (Format format : Format.values()) {
      Path file = dir.resolve("h." + format.extension());
      int threads = 6;
      int perThread = 300;
      try (HistoryWriter w = HistoryWriter.open(file, format)) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          long process = t;
          done.add(pool.submit(() -> {
            for (int i = 0; i < perThread; i++) {
              w.write(Op.invoke(process, "append", List.of((long) i, "x\n\"y\"")).withTime(i));
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(threads * perThread, w.count());
      }
      List<Op> ops = Histories.read(file);
      assertEquals(threads * perThread, ops.size(), format.toString());
      assertEquals(threads * perThread, new HashSet<>(ops).size(), format.toString());
      assertEquals(threads * perThread, Files.readAllLines(file).size(), format.toString());
    }
  }

  @Test
  void aJsonArrayIsClosedByCloseAndAnEmptyOneIsValid(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("h.json");
    HistoryWriter w = HistoryWriter.open(file, Format.JSON);
    w.close();
    assertEquals("[]\n", Files.readString(file));
    assertEquals(List.of(), Histories.read(file));
    Histories.write(file, List.of(Op.ok(1L, "read", 2L), Op.fail(2L, "cas", List.of(1L, 2L))));
    assertEquals("[{\"type\":\"ok\",\"f\":\"read\",\"value\":2,\"process\":1},\n"
        + " {\"type\":\"fail\",\"f\":\"cas\",\"value\":[1,2],\"process\":2}]\n", Files.readString(file));
  }

  @Test
  void appendKeepsEarlierOpsAndRefusesJsonArrays(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("h.edn");
    try (HistoryWriter w = HistoryWriter.append(file, Format.EDN)) {
      w.write(Op.invoke(0L, "read", null));
    }
    try (HistoryWriter w = HistoryWriter.append(file, Format.EDN)) {
      w.write(Op.ok(0L, "read", 5L));
    }
    assertEquals(List.of(Op.invoke(0L, "read", null), Op.ok(0L, "read", 5L)), Histories.read(file));
    assertThrows(IllegalArgumentException.class, () -> HistoryWriter.append(dir.resolve("h.json"), Format.JSON));
    HistoryWriter closed = HistoryWriter.open(dir.resolve("c.jsonl"), Format.JSONL);
    closed.close();
    assertThrows(IllegalStateException.class, () -> closed.write(Op.ok(0L, "read", 1L)));
  }

  @Test
  void anExtraFieldMayNotShadowAnOpField() {
    Op bad = Op.ok(0L, "read", 1L).withExtra(java.util.Map.of("index", 3L));
    for (Format format : Format.values()) {
      assertThrows(IllegalArgumentException.class, () -> Histories.toString(List.of(bad), format));
    }
  }
}
