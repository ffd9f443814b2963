package dev.lockstep.checkers.api;

import dev.lockstep.checkers.HistoryOrder;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.linear.LinearOptions;
import dev.lockstep.checkers.linear.LinearReport;
import dev.lockstep.checkers.linear.LinearizabilityChecker;
import dev.lockstep.checkers.linear.Model;
import dev.lockstep.histories.Format;
import dev.lockstep.histories.Histories;
import dev.lockstep.histories.Op;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A linearizability check of one history, set up step by step and run with {@link #run()}:
 *
 * <pre>{@code
 * CheckReport report = HistoryCheck.of(Path.of("history.edn")).model("cas-register").run();
 * if (report.verdict() == Verdict.FALSE) System.out.println(report.text());
 * }</pre>
 *
 * <p>Immutable: each setter returns a new check. A file's format comes from its extension, else
 * from its first bytes, unless {@link #format(Format)} names it. The model defaults to the one the
 * ops' {@code f}s imply; the time limit to 60 s, past which the verdict is unknown. A history the
 * model cannot take is unknown too, with {@link CheckReport#badInput()} set.
 */
public final class HistoryCheck {
  private static final Duration TIME_LIMIT_DEFAULT = Duration.ofSeconds(60);

  private final String name;
  private final Path file;
  private final List<Op> ops;
  private final Format format;
  private final Model model;
  private final Object init;
  private final boolean knossosNil;
  private final HistoryOrder order;
  private final Duration timeLimit;

  private HistoryCheck(String name, Path file, List<Op> ops, Format format, Model model, Object init,
      boolean knossosNil, HistoryOrder order, Duration timeLimit) {
    this.name = name;
    this.file = file;
    this.ops = ops;
    this.format = format;
    this.model = model;
    this.init = init;
    this.knossosNil = knossosNil;
    this.order = order;
    this.timeLimit = timeLimit;
  }

  /** A check of the history in {@code file} (JSON Lines, JSON or EDN; read when the check runs). */
  public static HistoryCheck of(Path file) {
    Objects.requireNonNull(file, "file");
    return new HistoryCheck(file.toString(), file, null, null, null, null, false, HistoryOrder.INDEX, TIME_LIMIT_DEFAULT);
  }

  /** A check of ops already in memory; {@code name} labels the report. */
  public static HistoryCheck of(String name, List<Op> history) {
    Objects.requireNonNull(history, "history");
    return new HistoryCheck(name, null, history, null, null, null, false, HistoryOrder.INDEX, TIME_LIMIT_DEFAULT);
  }

  /** The file's format, when neither its extension nor its first bytes tell. */
  public HistoryCheck format(Format f) {
    return new HistoryCheck(name, file, ops, f, model, init, knossosNil, order, timeLimit);
  }

  /**
   * The model by name: register, cas-register, kv, mutex, list-append, multi-register,
   * porcupine-kv.
   *
   * @throws IllegalArgumentException for any other name
   */
  public HistoryCheck model(String modelName) {
    return model(Model.parse(modelName));
  }

  public HistoryCheck model(Model m) {
    return new HistoryCheck(name, file, ops, format, m, init, knossosNil, order, timeLimit);
  }

  /**
   * The initial value: of the register, of every key, or (multi-register) a {@code Map} from key or
   * key name to value; a list for list-append. Nil by default ("" for porcupine-kv).
   */
  public HistoryCheck init(Object value) {
    return new HistoryCheck(name, file, ops, format, model, value, knossosNil, order, timeLimit);
  }

  /** A nil read matches any state, as in Knossos's register models. */
  public HistoryCheck knossosNil(boolean on) {
    return new HistoryCheck(name, file, ops, format, model, init, on, order, timeLimit);
  }

  public HistoryCheck order(HistoryOrder o) {
    return new HistoryCheck(name, file, ops, format, model, init, knossosNil, Objects.requireNonNull(o, "order"), timeLimit);
  }

  /** Past this the verdict is unknown. */
  public HistoryCheck timeLimit(Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("time limit must be positive, got " + limit);
    }
    return new HistoryCheck(name, file, ops, format, model, init, knossosNil, order, limit);
  }

  /**
   * The history's ops, read from the file if it has one.
   *
   * @throws IOException when the file cannot be read; malformed content is a {@link
   *     dev.lockstep.histories.HistoryFormatException} naming file, line and column
   */
  public List<Op> read() throws IOException {
    if (ops != null) {
      return ops;
    }
    return Histories.read(file, format != null ? format : Format.detect(file));
  }

  /**
   * Reads the history and checks it.
   *
   * @throws IOException as {@link #read()}
   */
  public CheckReport run() throws IOException {
    List<Op> history = order.apply(read());
    long start = System.nanoTime();
    LinearOptions options = LinearOptions.of(model, System::nanoTime)
        .withInit(init)
        .withKnossosNil(knossosNil)
        .withTimeLimit(timeLimit);
    LinearReport report;
    try {
      report = new LinearizabilityChecker(options).analyze(history);
    } catch (RuntimeException | StackOverflowError e) {
      // A checker never aborts the analysis: its failure is an unknown verdict with the reason.
      report = new LinearReport(Result.unknown(LinearizabilityChecker.NAME, "checker failed: " + e), null);
    }
    return new CheckReport(name, report.result(), report.counterexample(), Duration.ofNanos(System.nanoTime() - start));
  }
}
