package dev.lockstep.checkers.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The fast start path of {@code lockstep check}: {@code bin/lockstep check} runs this class, not the
 * whole command line. TRICKY: a CI gate often checks one small history per call, so JVM start is
 * most of the time; parsing the options here by hand keeps picocli, the harness and their classes
 * unloaded (with the class-data archive bin/lockstep makes, a small check takes a fraction of the
 * full start). {@code --help} and {@code --version} go to picocli's {@link CheckCommand}.
 */
public final class CheckMain {
  private CheckMain() {}

  public static void main(String[] argv) {
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    System.exit(run(argv, out, err));
  }

  /** Parses {@code argv} and checks; returns the exit code. */
  static int run(String[] argv, PrintWriter out, PrintWriter err) {
    if (List.of(argv).stream().anyMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version"))) {
      picocli.CommandLine cli = new picocli.CommandLine(new CheckCommand()).setCommandName("lockstep check");
      cli.setOut(out);
      cli.setErr(err);
      int code = cli.execute(argv);
      out.flush();
      return code;
    }
    CheckArgs args;
    try {
      args = parse(argv);
      args.validate();
    } catch (IllegalArgumentException e) {
      err.println("lockstep: " + e.getMessage());
      err.println("Try 'lockstep check --help'.");
      err.flush();
      return CheckRun.EXIT_USAGE;
    }
    int code = new CheckRun(args, out, err).run();
    out.flush();
    err.flush();
    return code;
  }

  /** The options of {@link CheckCommand}, as {@code --name value} or {@code --name=value}. */
  static CheckArgs parse(String[] argv) {
    CheckArgs args = new CheckArgs();
    boolean optionsEnded = false;
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (optionsEnded || !a.startsWith("--")) {
        args.paths.add(Path.of(a));
        continue;
      }
      if (a.equals("--")) {
        optionsEnded = true;
        continue;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (name.equals("--knossos-nil") || name.equals("--follow")) {
        if (value != null) {
          throw new IllegalArgumentException(name + " takes no value");
        }
        args.knossosNil |= name.equals("--knossos-nil");
        args.follow |= name.equals("--follow");
        continue;
      }
      if (value == null) {
        if (i + 1 >= argv.length) {
          throw new IllegalArgumentException("Missing required parameter for option '" + name + "'");
        }
        value = argv[++i];
      }
      switch (name) {
        case "--model" -> args.model = value;
        case "--format" -> args.format = value;
        case "--init" -> args.init = value;
        case "--order" -> args.order = value;
        case "--time-limit" -> args.timeLimitS = number(name, value);
        case "--junit-xml" -> args.junitXml = Path.of(value);
        case "--follow-idle" -> args.followIdleS = number(name, value);
        case "--follow-every" -> args.followEveryS = number(name, value);
        default -> throw new IllegalArgumentException("Unknown option: '" + name + "'");
      }
    }
    return args;
  }

  private static double number(String option, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid value for option '" + option + "': '" + value + "' is not a number");
    }
  }
}
