package dev.lockstep.harness.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lockstep.harness.runner.TestSettings;
import dev.lockstep.histories.Format;
import dev.lockstep.histories.Histories;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a test writes into its run directory (layout owned by {@link RunDirectory}): {@code test.json}
 * (settings, seed, command), {@code history.jsonl} and {@code history.edn}, {@code nemesis.jsonl} (the
 * schedule), and reads back for {@code rerun}.
 */
public final class RunStore {

  public static final String TEST_JSON = RunDirectory.TEST_JSON;
  public static final String HISTORY_JSONL = RunDirectory.HISTORY_JSONL;
  public static final String HISTORY_EDN = RunDirectory.HISTORY_EDN;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunStore() {}

  /** Creates a fresh run directory for {@code settings}; {@code latest} links point at it. */
  public static RunDirectory create(TestSettings settings, Clock clock) throws IOException {
    RunDirectory run = RunDirectory.create(Path.of(settings.store()), settings.testName(), clock);
    Files.createDirectories(run.path().resolve(RunDirectory.NODES));
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
