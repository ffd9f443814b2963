package dev.lockstep.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.node.UnsafeBug;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep bench sim --quick}: every figure is printed, as a number, and nothing else is on stdout. */
class BenchSimCommandTest {

  private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");

  @TempDir Path tmp;

  @Test
  void quickModePrintsEveryFigureAsANumber() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      // short runs and bound: the test checks the figures' presence and shape, not their values
      exit = LockstepCli.commandLine().execute("bench", "sim", "--quick", "--seed", "7", "--time-limit", "5",
          "--bound-s", "10", "--jobs", "2", "--store", tmp.resolve("store").toString());
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, text + err.toString(StandardCharsets.UTF_8));
    List<String> numeric = new ArrayList<>(List.of("sim_speedup", "sim_seeds_per_min", "sim_bench_seed", "sim_jobs"));
    for (UnsafeBug bug : UnsafeBug.values()) {
      String name = "sim_find_" + bug.flag().replace('-', '_');
      numeric.add(name + "_s");
      numeric.add(name + "_timeouts");
    }
    for (String name : numeric) {
      String value = value(text, name);
      assertTrue(value != null && NUMBER.matcher(value).matches(), name + " in:\n" + text);
    }
    assertTrue(value(text, "sim_speedup_seeds") != null, text);
    assertEquals("append", value(text, "sim_find_no_dedup_workload"), text);
    for (String line : text.split("\n")) {
      assertTrue(line.matches("sim_[a-z_]+=\\S+"), "stdout holds only name=value lines: " + line);
    }
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("bench sim: speedup"), "progress on stderr");
  }

  private static String value(String text, String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "=")) {
        return line.substring(name.length() + 1);
      }
    }
    return null;
  }
}
