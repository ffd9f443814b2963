package dev.lockstep.harness.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lockstep.harness.runner.TestSettings;
import dev.lockstep.histories.Format;
import dev.lockstep.histories.Histories;
import dev.lockstep.histories.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run directories of tests: {@code <store>/<test>/<yyyyMMdd'T'HHmmss.SSS>/} with {@code test.json}
 * (settings, seed, command), {@code history.jsonl} and {@code history.edn}, {@code nemesis.json} (the
 * schedule), {@code nodes/<id>/} for each node's logs, and a {@code latest} link next to the runs.
 */
public final class RunStore {

  public static final String TEST_JSON = "test.json";
  public static final String HISTORY_JSONL = "history.jsonl";
  public static final String HISTORY_EDN = "history.edn";
  public static final String NEMESIS_JSON = "nemesis.json";
  public static final String RESULTS_JSON = "results.json";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunStore() {}

  /** Creates a fresh run directory for {@code settings} and points {@code latest} at it. */
  public static Path create(TestSettings settings, Instant now) throws IOException {
    Path testDir = Path.of(settings.store()).resolve(settings.testName());
    Path run = testDir.resolve(STAMP.format(now));
    for (int n = 1; Files.exists(run); n++) {
      run = testDir.resolve(STAMP.format(now) + "-" + n);
    }
    Files.createDirectories(run.resolve("nodes"));
    Path latest = testDir.resolve("latest");
    Files.deleteIfExists(latest);
    try {
      Files.createSymbolicLink(latest, run.getFileName());
    } catch (UnsupportedOperationException | IOException e) {
      // A file system without links still gets the run; only the convenience link is missing.
    }
    return run;
  }

  public static void writeSettings(Path run, TestSettings settings) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", settings.testName());
    doc.put("command", settings.command());
    doc.put("settings", settings);
    JSON.writeValue(run.resolve(TEST_JSON).toFile(), doc);
  }

  /**
   * The settings recorded in a run directory.
   *
   * @throws IOException when {@code test.json} is missing or unreadable
   */
  public static TestSettings readSettings(Path run) throws IOException {
    Path file = run.resolve(TEST_JSON);
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such file (is " + run + " a run directory?)");
    }
    try {
      return JSON.treeToValue(JSON.readTree(file.toFile()).get("settings"), TestSettings.class);
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw new IOException(file + ": not a test.json of lockstep test: " + e.getMessage(), e);
    }
  }

  public static void writeHistory(Path run, List<Op> history) throws IOException {
    Histories.write(run.resolve(HISTORY_JSONL), history, Format.JSONL);
    Histories.write(run.resolve(HISTORY_EDN), history, Format.EDN);
  }

  public static void writeJson(Path file, Object value) throws IOException {
    JSON.writeValue(file.toFile(), value);
  }
}
