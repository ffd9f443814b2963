package dev.lockstep.ftvm.node.records;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of a node's replay-log segments in its data directory: one per run of the node process, so
 * a node restarted into the same directory never overwrites the log of an earlier run. The first run
 * writes {@code replay.log}, later runs {@code replay-2.log}, {@code replay-3.log}, ... A segment
 * that starts from a snapshot (the node joined as backup) has it next to it under the same stem:
 * {@code replay.snapshot}, {@code replay-2.snapshot}, ...; a segment without one starts at boot.
 */
public final class ReplaySegments {

  /** The first run's segment. */
  public static final String FIRST = "replay.log";
  private static final Pattern NUMBERED = Pattern.compile("replay-([0-9]{1,9})\\.log");

  private ReplaySegments() {}

  /** The segment a new run writes: {@code replay.log} if absent, else one past the highest number. */
  public static Path next(Path dataDir) throws IOException {
    List<Path> existing = list(dataDir);
    if (existing.isEmpty() && !Files.exists(dataDir.resolve(FIRST))) {
      return dataDir.resolve(FIRST);
    }
    int highest = 1;
    for (Path p : existing) {
      highest = Math.max(highest, number(p));
    }
    return dataDir.resolve("replay-" + (highest + 1) + ".log");
  }

  /** The segments in {@code dataDir}, in the order of the runs that wrote them. */
  public static List<Path> list(Path dataDir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dataDir)) {
      return out;
    }
    try (var files = Files.list(dataDir)) {
      files.filter(p -> Files.isRegularFile(p) && number(p) > 0).forEach(out::add);
    }
    out.sort(Comparator.comparingInt(ReplaySegments::number));
    return out;
  }

  /** Where the snapshot a segment starts from is kept (absent: the segment starts at boot). */
  public static Path snapshotOf(Path segment) {
    String name = segment.getFileName().toString();
    return segment.resolveSibling(name.substring(0, name.length() - ".log".length()) + ".snapshot");
  }

  /** 1 for {@code replay.log}, n for {@code replay-n.log}, 0 for any other name. */
  static int number(Path p) {
    String name = p.getFileName().toString();
    if (name.equals(FIRST)) {
      return 1;
    }
    Matcher m = NUMBERED.matcher(name);
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }
}
