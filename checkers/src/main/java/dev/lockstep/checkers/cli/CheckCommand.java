package dev.lockstep.checkers.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep check PATH...} with picocli's parsing and help; {@link CheckRun} does the work.
 * {@code bin/lockstep check} starts {@link CheckMain} instead, which parses the same options
 * without picocli and comes here only for {@code --help}.
 */
@Command(name = "check", mixinStandardHelpOptions = true, version = "lockstep 0.1.0",
    description = {
      "Check run directories (all checkers) or history files (linearizability).",
      "",
      "Many files in one call are the fast path: the JVM starts once (a CI gate with one call per",
      "history pays the start each time). Formats: jsonl, json, edn; a file whose extension names",
      "none (Porcupine's .txt logs) is told by its first bytes.",
      "",
      "Models and their equality:",
      "  register, cas-register  read/write (and cas [old new]) on one value.",
      "  kv                      the same per key (an op's key, or Jepsen's [k v] tuple).",
      "  mutex                   acquire/release.",
      "  list-append             append of elements and read of the whole list, per key.",
      "  multi-register          Knossos's: f txn, value [[r k v] [w k v] ...] (r/read, w/write),",
      "                          atomic over several keys; a read of nil matches anything;",
      "                          --init gives one value for every key or a map {x 0, y 0}.",
      "  porcupine-kv            Porcupine's kv: get, put, append (string concatenation) on",
      "                          strings per key, \"\" at first; get sees the whole string.",
      "  Values are equal when they are equal data: numbers by value whatever the spelling",
      "  (1 = 1.0 = 1N = 1.0M), strings by their characters, lists element by element,",
      "  keywords by name (:x is not the string \"x\"). A nil read matches only nil unless",
      "  --knossos-nil (multi-register: always).",
      "",
      "Exit codes: 0 all valid, 1 any invalid, 2 any unknown (time or memory bound) and none",
      "invalid, 254 bad arguments or bad input: unreadable or malformed files, and histories the",
      "model cannot take (an f it does not know, a value of the wrong shape).",
    })
public final class CheckCommand implements Callable<Integer> {
  public static final int EXIT_USAGE = CheckRun.EXIT_USAGE;

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "A run directory or a history file.")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--model", paramLabel = "M",
      description = "register, cas-register, kv, mutex, list-append, multi-register, porcupine-kv; default: from the ops' f.")
  String model;

  @Option(names = "--format", paramLabel = "F", description = "jsonl, json or edn; default: from the extension, else the content.")
  String format;

  @Option(names = "--init", paramLabel = "V",
      description = "Initial value (EDN scalar, [list], or {key value ...} for multi-register); default nil, \"\" for porcupine-kv.")
  String init;

  @Option(names = "--knossos-nil", description = "A nil read matches any state, as in Knossos.")
  boolean knossosNil;

  @Option(names = "--order", paramLabel = "O", description = "index (default: by index when all ops have one, else file order) or time.")
  String order = "index";

  @Option(names = "--time-limit", paramLabel = "S", description = "Seconds per path before the verdict is unknown (default ${DEFAULT-VALUE}).")
  double timeLimitS = 60;

  @Option(names = "--junit-xml", paramLabel = "FILE",
      description = "Also write a JUnit XML report: one test case per path; a failure holds the counterexample.")
  Path junitXml;

  @Option(names = "--follow",
      description = "Check one JSON Lines file while it is being written: print the verdict so far, stop at the first invalid key.")
  boolean follow;

  @Option(names = "--follow-idle", paramLabel = "S",
      description = "With --follow: the file is complete once it has not grown for S seconds (default ${DEFAULT-VALUE}).")
  double followIdleS = 30;

  @Option(names = "--follow-every", paramLabel = "S",
      description = "With --follow: seconds between checks of the history so far (default ${DEFAULT-VALUE}).")
  double followEveryS = 2;

  @Override
  public Integer call() {
    CheckArgs args = new CheckArgs();
    args.paths = paths;
    args.model = model;
    args.format = format;
    args.init = init;
    args.knossosNil = knossosNil;
    args.order = order;
    args.timeLimitS = timeLimitS;
    args.junitXml = junitXml;
    args.follow = follow;
    args.followIdleS = followIdleS;
    args.followEveryS = followEveryS;
    try {
      args.validate();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return new CheckRun(args, out, err).run();
  }
}
