package dev.lockstep.checkers.cli;

import dev.lockstep.checkers.HistoryOrder;
import dev.lockstep.checkers.linear.Model;
import dev.lockstep.histories.Format;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The settings of one {@code lockstep check}, filled by picocli ({@link CheckCommand}) or by the
 * light parser of the fast start path ({@link CheckMain}); each getter validates its option and
 * throws an {@link IllegalArgumentException} whose message names it.
 */
final class CheckArgs {
  /** Bound on {@code --time-limit} and the follow intervals: a year. */
  private static final double SECONDS_MAX = Duration.ofDays(365).toSeconds();

  List<Path> paths = new ArrayList<>();
  String model;
  String format;
  String init;
  boolean knossosNil;
  String order = "index";
  double timeLimitS = 60;
  Path junitXml;
  boolean follow;
  double followIdleS = 30;
  double followEveryS = 2;

  Model model() {
    if (model == null) {
      return null;
    }
    try {
      return Model.parse(model);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--model: " + e.getMessage());
    }
  }

  Format format() {
    if (format == null) {
      return null;
    }
    for (Format f : Format.values()) {
      if (f.extension().equalsIgnoreCase(format)) {
        return f;
      }
    }
    throw new IllegalArgumentException("--format: expected jsonl, json or edn, got '" + format + "'");
  }

  Object init() {
    return InitValue.parse(init);
  }

  HistoryOrder order() {
    return switch (order.toLowerCase(Locale.ROOT)) {
      case "index" -> HistoryOrder.INDEX;
      case "time" -> HistoryOrder.TIME;
      default -> throw new IllegalArgumentException("--order: expected index or time, got '" + order + "'");
    };
  }

  Duration timeLimit() {
    return seconds("--time-limit", timeLimitS);
  }

  Duration followIdle() {
    return seconds("--follow-idle", followIdleS);
  }

  Duration followEvery() {
    return seconds("--follow-every", followEveryS);
  }

  /** Checks every option at once, so bad arguments fail before any file is read. */
  void validate() {
    model();
    format();
    init();
    order();
    timeLimit();
    followIdle();
    followEvery();
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("Missing required parameter: 'PATH'");
    }
    if (follow && paths.size() != 1) {
      throw new IllegalArgumentException("--follow: expected one JSON Lines file, got " + paths.size() + " paths");
    }
    if (follow && (format() == Format.EDN || format() == Format.JSON || notJsonLines(paths.get(0)))) {
      throw new IllegalArgumentException("--follow: reads JSON Lines, one op per line; " + paths.get(0) + " is not");
    }
  }

  private static boolean notJsonLines(Path path) {
    String name = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
    return name.endsWith(".edn") || name.endsWith(".json");
  }

  private static Duration seconds(String option, double s) {
    if (!(s > 0) || s > SECONDS_MAX) {
      throw new IllegalArgumentException(option + ": expected a positive number of seconds, got " + s);
    }
    return Duration.ofNanos((long) (s * 1e9));
  }
}
