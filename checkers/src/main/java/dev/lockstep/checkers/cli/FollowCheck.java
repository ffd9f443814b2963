package dev.lockstep.checkers.cli;

import dev.lockstep.checkers.HistoryOrder;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.checkers.api.CheckReport;
import dev.lockstep.checkers.api.HistoryCheck;
import dev.lockstep.histories.Format;
import dev.lockstep.histories.Histories;
import dev.lockstep.histories.Op;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code lockstep check --follow FILE}: checks a JSON Lines history while it is still being
 * written. Complete lines are read as they arrive; every {@code --follow-every} seconds (longer
 * when a check takes longer: never more than half the time checking) the history so far is
 * checked and one line {@code ops=N verdict=V} printed. Calls still open are taken as crashed, so a
 * prefix that is not linearizable proves the whole history is not: it stops at the first invalid
 * key with the counterexample (exit 1). When the file has not grown for {@code --follow-idle}
 * seconds, the whole history is checked once more and its verdict is the exit code.
 */
final class FollowCheck {
  private static final long POLL_NANOS = Duration.ofMillis(100).toNanos();
  private static final int READ_BYTES = 1 << 16;
  /** Bound on one line not yet ended by a newline: past it the file is not JSON Lines. */
  private static final int LINE_BYTES_MAX = 16 << 20;

  private final CheckArgs args;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Path file;
  private final List<Op> ops = new ArrayList<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private long offset;
  private int lines;

  FollowCheck(CheckArgs args, PrintWriter out, PrintWriter err) {
    this.args = args;
    this.out = out;
    this.err = err;
    this.file = args.paths.get(0);
  }

  int run() {
    try {
      return follow();
    } catch (IOException e) {
      err.println("lockstep check: " + CheckRun.message(file, e));
      err.flush();
      return CheckRun.EXIT_USAGE;
    }
  }

  private int follow() throws IOException {
    long idle = args.followIdle().toNanos();
    long every = args.followEvery().toNanos();
    long lastGrowth = System.nanoTime();
    long nextCheck = lastGrowth;
    int checked = -1;
    CheckReport report = null;
    while (true) {
      if (readNewLines()) {
        lastGrowth = System.nanoTime();
      }
      long now = System.nanoTime();
      boolean ended = now - lastGrowth >= idle;
      if (ended) {
        parseTail();
      }
      if (ops.size() != checked && (ended || now >= nextCheck)) {
        long start = System.nanoTime();
        report = check();
        long took = System.nanoTime() - start;
        checked = ops.size();
        nextCheck = System.nanoTime() + Math.max(every, 2 * took);
        out.println("ops=" + checked + " verdict=" + report.verdict().label());
        out.flush();
        if (report.verdict() == Verdict.FALSE || report.badInput()) {
          break;
        }
      }
      if (ended) {
        break;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    if (report == null) {
      err.println("lockstep check: " + file + ": no ops after waiting " + args.followIdleS + " s");
      err.flush();
      return CheckRun.EXIT_USAGE;
    }
    if (report.badInput()) {
      err.println("lockstep check: " + file + ": " + report.reason());
      err.flush();
      return CheckRun.EXIT_USAGE;
    }
    out.print(report.text());
    out.flush();
    return report.verdict().exitCode();
  }

  private CheckReport check() throws IOException {
    HistoryOrder order = args.order();
    return HistoryCheck.of(file.toString(), order.apply(ops))
        .model(args.model())
        .init(args.init())
        .knossosNil(args.knossosNil)
        .timeLimit(args.timeLimit())
        .run();
  }

  /** Reads what was appended since the last call and parses its complete lines; true if it grew. */
  private boolean readNewLines() throws IOException {
    byte[] fresh;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() < offset) {
        throw new IOException("the file shrank from " + offset + " to " + ch.size() + " bytes while followed");
      }
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(READ_BYTES);
      for (int n = ch.read(buf, offset); n > 0; n = ch.read(buf, offset)) {
        got.write(buf.array(), 0, n);
        offset += n;
        buf.clear();
      }
      fresh = got.toByteArray();
    } catch (NoSuchFileException e) {
      return false;
    }
    if (fresh.length == 0) {
      return false;
    }
    int lastNewline = -1;
    for (int i = fresh.length - 1; i >= 0; i--) {
      if (fresh[i] == '\n') {
        lastNewline = i;
        break;
      }
    }
    if (lastNewline < 0) {
      partial.write(fresh, 0, fresh.length);
      if (partial.size() > LINE_BYTES_MAX) {
        throw new IOException("line " + (lines + 1) + " is over " + LINE_BYTES_MAX + " bytes: not JSON Lines");
      }
      return true;
    }
    partial.write(fresh, 0, lastNewline + 1);
    parse(partial.toString(StandardCharsets.UTF_8));
    partial.reset();
    partial.write(fresh, lastNewline + 1, fresh.length - lastNewline - 1);
    return true;
  }

  /** Parses a last line the writer left without a newline, once the file stopped growing. */
  private void parseTail() throws IOException {
    if (partial.size() > 0) {
      parse(partial.toString(StandardCharsets.UTF_8));
      partial.reset();
    }
  }

  private void parse(String text) throws IOException {
    int first = lines + 1;
    ops.addAll(Histories.parse(text, Format.JSONL, file + " (line " + first + " on)"));
    lines += (int) text.chars().filter(c -> c == '\n').count();
  }
}
