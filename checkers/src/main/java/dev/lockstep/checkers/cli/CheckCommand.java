package dev.lockstep.checkers.cli;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.Checkers;
import dev.lockstep.checkers.HistoryOrder;
import dev.lockstep.checkers.ResultFiles;
import dev.lockstep.checkers.Summary;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.checkers.linear.LinearOptions;
import dev.lockstep.checkers.linear.LinearizabilityChecker;
import dev.lockstep.checkers.linear.Model;
import dev.lockstep.histories.Format;
import dev.lockstep.histories.Histories;
import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep check PATH...}: a run directory gets every checker and its results written back;
 * a history file gets linearizability. Exit 0 all valid, 1 any invalid, 2 any unknown (and none
 * invalid), 254 bad arguments or unreadable input.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check run directories (all checkers) or history files (linearizability).")
public final class CheckCommand implements Callable<Integer> {
  public static final int EXIT_USAGE = 254;

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "A run directory or a history file.")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--model", paramLabel = "M",
      description = "register, cas-register, kv (multi-register), mutex, list-append; default: from the ops' f.")
  String model;

  @Option(names = "--format", paramLabel = "F", description = "jsonl, json or edn; default: from the extension.")
  String format;

  @Option(names = "--init", paramLabel = "V", description = "Initial value of the register (EDN scalar or [list]); default nil.")
  String init;

  @Option(names = "--knossos-nil", description = "A nil read matches any state, as in Knossos.")
  boolean knossosNil;

  @Option(names = "--order", paramLabel = "O", description = "index (default: by index when all ops have one, else file order) or time.")
  String order = "index";

  @Option(names = "--time-limit", paramLabel = "S", description = "Seconds per path before the verdict is unknown (default ${DEFAULT-VALUE}).")
  double timeLimitS = 60;

  @Override
  public Integer call() {
    LinearOptions options = options();
    HistoryOrder historyOrder = parseOrder();
    Format fileFormat = parseFormat();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Verdict merged = Verdict.TRUE;
    boolean unreadable = false;
    for (Path path : paths) {
      Summary summary;
      try {
        summary = checkPath(path, options, historyOrder, fileFormat);
      } catch (IOException e) {
        err.println("lockstep check: " + message(path, e));
        unreadable = true;
        if (paths.size() > 1) {
          out.println(path + "\terror");
        }
        continue;
      }
      merged = merged.merge(summary.verdict());
      if (paths.size() > 1) {
        out.println(path + "\t" + summary.verdict().label());
      } else {
        printDetail(out, summary);
      }
    }
    out.flush();
    err.flush();
    return unreadable ? EXIT_USAGE : merged.exitCode();
  }

  private static String message(Path path, IOException e) {
    if (e instanceof HistoryFormatException) {
      return e.getMessage();
    }
    return path + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  private Summary checkPath(Path path, LinearOptions options, HistoryOrder historyOrder, Format fileFormat) throws IOException {
    if (Files.isDirectory(path)) {
      if (!RunDirectory.isRunDirectory(path)) {
        throw new HistoryFormatException(path.toString(), "a directory, but not a run directory (no history.jsonl, history.edn or test.json)");
      }
      return Checkers.checkRunDirectory(path, options, historyOrder);
    }
    if (!Files.exists(path)) {
      throw new HistoryFormatException(path.toString(), "no such file or directory");
    }
    Format f = fileFormat != null ? fileFormat : Format.of(path);
    CheckInput input = CheckInput.ofHistory(historyOrder.apply(Histories.read(path, f)));
    return Checkers.run(input, List.of(new LinearizabilityChecker(options)));
  }

  private static void printDetail(PrintWriter out, Summary summary) {
    out.println(summary.verdict().label());
    if (summary.counterexample() != null) {
      out.print(summary.counterexample().text());
    }
    out.print(ResultFiles.json(summary.toMap()));
  }

  private LinearOptions options() {
    Model m = null;
    if (model != null) {
      try {
        m = Model.parse(model);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--model: " + e.getMessage());
      }
    }
    if (!(timeLimitS > 0) || timeLimitS > Duration.ofDays(365).toSeconds()) {
      throw new ParameterException(spec.commandLine(), "--time-limit: expected a positive number of seconds, got " + timeLimitS);
    }
    return LinearOptions.of(m, System::nanoTime)
        .withInit(InitValue.parse(init, spec.commandLine()))
        .withKnossosNil(knossosNil)
        .withTimeLimit(Duration.ofNanos((long) (timeLimitS * 1e9)));
  }

  private HistoryOrder parseOrder() {
    return switch (order.toLowerCase(Locale.ROOT)) {
      case "index" -> HistoryOrder.INDEX;
      case "time" -> HistoryOrder.TIME;
      default -> throw new ParameterException(spec.commandLine(), "--order: expected index or time, got '" + order + "'");
    };
  }

  private Format parseFormat() {
    if (format == null) {
      return null;
    }
    for (Format f : Format.values()) {
      if (f.extension().equalsIgnoreCase(format)) {
        return f;
      }
    }
    throw new ParameterException(spec.commandLine(), "--format: expected jsonl, json or edn, got '" + format + "'");
  }
}
