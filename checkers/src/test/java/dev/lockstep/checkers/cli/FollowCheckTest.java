package dev.lockstep.checkers.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --follow}: a history checked while a writer is still appending to it. */
class FollowCheckTest {
  private static final int WRITES_PLANNED = 6000;
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopWriter() {
    writer.shutdownNow();
  }

  /** Follows {@code file}, checking every 50 ms, until it has not grown for {@code idleS}. */
  private CompletableFuture<Integer> follow(Path file, double idleS) {
    String[] args = {"--follow", "--follow-every", "0.05", "--follow-idle", String.valueOf(idleS), file.toString()};
    return CompletableFuture.supplyAsync(() -> CheckMain.run(args, new PrintWriter(out), new PrintWriter(err)));
  }

  private static String line(String type, long process, String f, Object value) {
    return "{\"type\":\"" + type + "\",\"f\":\"" + f + "\",\"value\":" + value + ",\"process\":" + process + "}\n";
  }

  private static void append(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void stopsAtTheFirstInvalidKeyWhileTheWriterGoesOn() throws Exception {
    Path file = dir.resolve("nightly.jsonl");
    append(file, line("invoke", 0, "write", 1) + line("ok", 0, "write", 1));
    CompletableFuture<Integer> code = follow(file, 1);
    AtomicInteger written = new AtomicInteger();
    // A long run: a read every 5 ms, the sixth one stale; 6000 of them would take 30 s.
    writer.scheduleAtFixedRate(() -> {
      int n = written.incrementAndGet();
      if (n <= WRITES_PLANNED) {
        append(file, line("invoke", 1, "read", "null") + line("ok", 1, "read", n == 6 ? 7 : 1));
      }
    }, 0, 5, TimeUnit.MILLISECONDS);
    await().atMost(Duration.ofSeconds(60)).until(code::isDone);
    assertEquals(1, code.get(), out + "\n" + err);
    assertTrue(written.get() < WRITES_PLANNED, "stopped early, at write " + written.get());
    assertTrue(out.toString().contains("verdict=false"), out.toString());
    assertTrue(out.toString().contains("no order fits: process 1 read 7 -> ok"), out.toString());
  }

  @Test
  void aCompleteValidHistoryEndsOnceTheFileStopsGrowing() throws Exception {
    Path file = dir.resolve("done.jsonl");
    append(file, line("invoke", 0, "write", 1) + line("ok", 0, "write", 1) + line("invoke", 1, "read", "null"));
    // Idle long enough that a slow start on a loaded machine cannot end the follow before the last line.
    CompletableFuture<Integer> code = follow(file, 5);
    await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("ops=3 verdict=true"));
    assertFalse(code.isDone(), "still following while the file may grow");
    // The last line arrives without its newline; it still counts once the file stops growing.
    append(file, "{\"type\":\"ok\",\"f\":\"read\",\"value\":1,\"process\":1}");
    await().atMost(Duration.ofSeconds(20)).until(code::isDone);
    assertEquals(0, code.get(), out + "\n" + err);
    assertTrue(out.toString().contains("ops=4 verdict=true"), out.toString());
  }

  @Test
  void aMalformedLineIsBadInputNamingIt() throws Exception {
    Path file = dir.resolve("bad.jsonl");
    append(file, line("invoke", 0, "write", 1) + "{\"type\": oops}\n");
    CompletableFuture<Integer> code = follow(file, 1);
    await().atMost(Duration.ofSeconds(20)).until(code::isDone);
    assertEquals(254, code.get());
    assertTrue(err.toString().contains("bad.jsonl"), err.toString());
  }
}
