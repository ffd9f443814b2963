package dev.lockstep.histories.run;

import dev.lockstep.histories.Format;
import dev.lockstep.histories.Histories;
import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.HistoryWriter;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.events.NodeEvent;
import dev.lockstep.histories.events.NodeEventReader;
import dev.lockstep.histories.events.NodeEventWriter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One test run's directory, {@code <root>/<test>/<yyyyMMddTHHmmss.SSS>/}:
 *
 * <pre>
 *   history.jsonl   the history, one op per line (main format)
 *   history.edn     the same history as Jepsen EDN
 *   test.json       the test's settings and seed
 *   nemesis.jsonl   the nemesis schedule
 *   nodes/ID/events.jsonl   node ID's event log
 *   nodes/ID/replay.log     node ID's record/replay log
 *   results.json, results.edn   the checkers' results
 * </pre>
 *
 * and the links {@code <root>/<test>/latest} and {@code <root>/latest} to the newest run. A
 * directory is a run directory when its name is such a timestamp or it holds {@code test.json} or a
 * history file, so a run copied elsewhere under another name is still recognised.
 */
public final class RunDirectory {
  public static final String HISTORY_JSONL = "history.jsonl";
  public static final String HISTORY_EDN = "history.edn";
  public static final String TEST_JSON = "test.json";
  public static final String NEMESIS_JSONL = "nemesis.jsonl";
  public static final String RESULTS_JSON = "results.json";
  public static final String RESULTS_EDN = "results.edn";
  public static final String NODES = "nodes";
  public static final String EVENTS_JSONL = "events.jsonl";
  public static final String REPLAY_LOG = "replay.log";
  public static final String LATEST = "latest";
  /** How run directories are named: their start time in the clock's zone, to the millisecond. */
  public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS");

  private static final Pattern STAMP_NAME = Pattern.compile("\\d{8}T\\d{6}\\.\\d{3}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  /** Runs of one test started in the same millisecond take the next free millisecond, this many times at most. */
  private static final int NAME_COLLISIONS_MAX = 1000;

  private final Path path;

  private RunDirectory(Path path) {
    this.path = path;
  }

  /**
   * Creates the directory of a new run of {@code test} named by the clock's time, and points both
   * {@code latest} links at it.
   *
   * @throws IllegalArgumentException when {@code test} is not a plain name ({@code [A-Za-z0-9._-]},
   *     not starting with '.' or '-', not "latest")
   */
  public static RunDirectory create(Path root, String test, Clock clock) throws IOException {
    checkName(test, "test name");
    Path testDir = root.resolve(test);
    Files.createDirectories(testDir);
    LocalDateTime start = LocalDateTime.ofInstant(clock.instant(), clock.getZone());
    for (int attempt = 0; attempt < NAME_COLLISIONS_MAX; attempt++) {
      Path dir = testDir.resolve(STAMP.format(start.plusNanos(attempt * 1_000_000L)));
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        continue;
      }
      link(testDir.resolve(LATEST), testDir.relativize(dir));
      link(root.resolve(LATEST), root.relativize(dir));
      return new RunDirectory(dir);
    }
    throw new IOException("no free run directory name in " + testDir + " after " + NAME_COLLISIONS_MAX + " tries");
  }

  /**
   * The run directory at {@code dir} (a {@code latest} link is followed).
   *
   * @throws HistoryFormatException when {@code dir} is not a run directory
   */
  public static RunDirectory open(Path dir) throws IOException {
    if (!isRunDirectory(dir)) {
      throw new HistoryFormatException(dir.toString(), "not a run directory (no " + TEST_JSON + ", " + HISTORY_JSONL + " or " + HISTORY_EDN + ", and not named yyyyMMddTHHmmss.SSS)");
    }
    return new RunDirectory(dir.toRealPath());
  }

  /** True when {@code dir} is a directory named by a run timestamp or holding a run's files. */
  public static boolean isRunDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      return false;
    }
    Path name = real.getFileName();
    if (name != null && STAMP_NAME.matcher(name.toString()).matches()) {
      return true;
    }
    return Files.isRegularFile(real.resolve(TEST_JSON))
        || Files.isRegularFile(real.resolve(HISTORY_JSONL))
        || Files.isRegularFile(real.resolve(HISTORY_EDN));
  }

  /** The run directory that {@code anyPath} is, or lies inside (a history file, a node's log). */
  public static Optional<RunDirectory> enclosing(Path anyPath) throws IOException {
    for (Path p = anyPath.toAbsolutePath(); p != null; p = p.getParent()) {
      if (isRunDirectory(p)) {
        return Optional.of(open(p));
      }
    }
    return Optional.empty();
  }

  /** The newest run of {@code test} under {@code root}: the {@code latest} link, else the newest name. */
  public static Optional<RunDirectory> latest(Path root, String test) throws IOException {
    checkName(test, "test name");
    Path link = root.resolve(test).resolve(LATEST);
    if (isRunDirectory(link)) {
      return Optional.of(open(link));
    }
    List<RunDirectory> runs = list(root, test);
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
  }

  /** The newest run of any test under {@code root}: the {@code latest} link, else the latest start. */
  public static Optional<RunDirectory> latest(Path root) throws IOException {
    Path link = root.resolve(LATEST);
    if (isRunDirectory(link)) {
      return Optional.of(open(link));
    }
    RunDirectory best = null;
    for (String test : tests(root)) {
      for (RunDirectory run : list(root, test)) {
        if (best == null || run.path.getFileName().toString().compareTo(best.path.getFileName().toString()) > 0) {
          best = run;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Every run of {@code test} under {@code root}, oldest first. */
  public static List<RunDirectory> list(Path root, String test) throws IOException {
    checkName(test, "test name");
    Path testDir = root.resolve(test);
    List<RunDirectory> runs = new ArrayList<>();
    if (!Files.isDirectory(testDir)) {
      return runs;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(testDir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (STAMP_NAME.matcher(name).matches() && Files.isDirectory(entry) && !Files.isSymbolicLink(entry)) {
          runs.add(new RunDirectory(entry));
        }
      }
    }
    runs.sort(Comparator.comparing(r -> r.path.getFileName().toString()));
    return runs;
  }

  /** The names of the tests with a directory under {@code root}, sorted. */
  public static List<String> tests(Path root) throws IOException {
    List<String> tests = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return tests;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.equals(LATEST) && NAME.matcher(name).matches() && Files.isDirectory(entry)) {
          tests.add(name);
        }
      }
    }
    tests.sort(null);
    return tests;
  }

  public Path path() {
    return path;
  }

  /** The test's name: the name of the parent directory. */
  public String test() {
    Path parent = path.getParent();
    return parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
  }

  /** When the run started, from its name; empty when the directory was renamed. */
  public Optional<LocalDateTime> startedAt() {
    return startedAt(path);
  }

  /** When the run in {@code dir} started, from its name; empty when the name is not a timestamp. */
  public static Optional<LocalDateTime> startedAt(Path dir) {
    Path name = dir.getFileName();
    if (name == null || !STAMP_NAME.matcher(name.toString()).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.parse(name.toString(), STAMP));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  public Path historyJsonl() {
    return path.resolve(HISTORY_JSONL);
  }

  public Path historyEdn() {
    return path.resolve(HISTORY_EDN);
  }

  public Path testJson() {
    return path.resolve(TEST_JSON);
  }

  public Path nemesisJsonl() {
    return path.resolve(NEMESIS_JSONL);
  }

  public Path resultsJson() {
    return path.resolve(RESULTS_JSON);
  }

  public Path resultsEdn() {
    return path.resolve(RESULTS_EDN);
  }

  /** {@code nodes/<id>/}, not created. */
  public Path nodeDirectory(String nodeId) {
    checkName(nodeId, "node id");
    return path.resolve(NODES).resolve(nodeId);
  }

  public Path nodeEvents(String nodeId) {
    return nodeDirectory(nodeId).resolve(EVENTS_JSONL);
  }

  public Path nodeReplayLog(String nodeId) {
    return nodeDirectory(nodeId).resolve(REPLAY_LOG);
  }

  /** {@code nodes/<id>/}, created if missing. */
  public Path createNodeDirectory(String nodeId) throws IOException {
    return Files.createDirectories(nodeDirectory(nodeId));
  }

  /** The ids of the nodes with a directory under {@code nodes/}, sorted. */
  public List<String> nodeIds() throws IOException {
    List<String> ids = new ArrayList<>();
    Path nodes = path.resolve(NODES);
    if (!Files.isDirectory(nodes)) {
      return ids;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(nodes)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry) && NAME.matcher(entry.getFileName().toString()).matches()) {
          ids.add(entry.getFileName().toString());
        }
      }
    }
    ids.sort(null);
    return ids;
  }

  /** An appending, flushing writer of {@code history.jsonl}, for recording ops as they happen. */
  public HistoryWriter openHistory() throws IOException {
    return HistoryWriter.append(historyJsonl(), Format.JSONL);
  }

  /** An appending, bounded writer of node {@code nodeId}'s event log (its directory is created). */
  public NodeEventWriter openEventLog(String nodeId) throws IOException {
    createNodeDirectory(nodeId);
    return NodeEventWriter.open(nodeEvents(nodeId));
  }

  /**
   * The run's history: {@code history.jsonl}, or {@code history.edn} when there is no JSON Lines
   * file.
   *
   * @throws HistoryFormatException when neither exists or the file is malformed
   */
  public List<Op> readHistory() throws IOException {
    if (Files.isRegularFile(historyJsonl())) {
      return Histories.read(historyJsonl(), Format.JSONL);
    }
    if (Files.isRegularFile(historyEdn())) {
      return Histories.read(historyEdn(), Format.EDN);
    }
    throw new HistoryFormatException(path.toString(), "run directory has no " + HISTORY_JSONL + " or " + HISTORY_EDN);
  }

  /** Writes {@code history.edn} from the ops, for Jepsen and Knossos tools. */
  public void writeHistoryEdn(List<Op> ops) throws IOException {
    Histories.write(historyEdn(), ops, Format.EDN);
  }

  /** Every node's events, by node id (sorted); a node with no log has an empty list. */
  public Map<String, List<NodeEvent>> readNodeEvents() throws IOException {
    Map<String, List<NodeEvent>> all = new LinkedHashMap<>();
    for (String id : nodeIds()) {
      Path log = nodeEvents(id);
      all.put(id, Files.isRegularFile(log) ? NodeEventReader.read(log) : List.of());
    }
    return all;
  }

  @Override
  public String toString() {
    return path.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunDirectory r && r.path.equals(path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  private static void checkName(String name, String what) {
    if (name == null || !NAME.matcher(name).matches() || name.equals(LATEST)) {
      throw new IllegalArgumentException(what + " '" + name + "' must be letters, digits, '.', '_' or '-', not start with '.' or '-', and not be 'latest'");
    }
  }

  /** Points {@code link} at {@code target} (relative), replacing an old link atomically. */
  private static void link(Path link, Path target) throws IOException {
    Path tmp = link.resolveSibling("." + LATEST + "-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createSymbolicLink(tmp, target);
    } catch (UnsupportedOperationException e) {
      // Without symbolic links, latest() falls back to the newest directory name.
      return;
    }
    Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Deletes {@code dir} and everything under it (a run's directory, or a bench's node logs). */
  public static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
