package dev.lockstep.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.harness.runner.TestSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {

  private static TestSettings parse(String... args) {
    TestCommand command = new TestCommand();
    new CommandLine(command).parseArgs(args);
    return command.settings();
  }

  @Test
  void rerunCommandParsesBackToTheSameSettings() {
    TestSettings s = parse("--workload", "append", "--nemesis", "partition,kill", "--time-limit", "12.5",
        "--concurrency", "3", "--rate", "20", "--seed", "99", "--unsafe", "no-dedup", "--keys", "4",
        "--nemesis-interval", "3", "--store", "/tmp/x y");
    String[] words = s.command().replace("'/tmp/x y'", "/tmp/x_y").split(" ");
    assertEquals("bin/lockstep", words[0]);
    assertEquals("test", words[1]);
    TestSettings again = parse(Arrays.copyOfRange(words, 2, words.length)).withStore("/tmp/x y");
    assertEquals(s, again);
    assertEquals("append-partition_kill-unsafe-no-dedup", s.testName());
  }

  @Test
  void netModeRoundTripsThroughTheRerunCommandAndRefusesWhatOnlyTheProxyCanDo() {
    TestSettings s = parse("--net", "netns", "--seed", "5");
    assertTrue(s.netns());
    assertTrue(s.command().endsWith("--net netns"), s.command());
    assertEquals(s, parse(Arrays.copyOfRange(s.command().split(" "), 2, s.command().split(" ").length)));
    assertTrue(!parse("--seed", "5").command().contains("--net"), "the default proxy mode stays implicit");
    for (String[] bad : List.of(new String[] {"--net", "tunnel"}, new String[] {"--net", "netns", "--zk", "h:1"},
        new String[] {"--net", "netns", "--nemesis", "attack"}, new String[] {"--net", "netns", "--tls"})) {
      CliRun run = CliRun.of(concat(new String[] {"test"}, bad));
      assertEquals(254, run.exit(), String.join(" ", bad) + ": " + run.err());
      assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
      assertTrue(run.err().contains("--net") || run.err().contains("--tls"), run.err());
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void badArgumentsExit254WithOneLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(254, LockstepCli.commandLine().execute("test", "--workload", "nope"));
      assertEquals(254, LockstepCli.commandLine().execute("test", "--nemesis", "partition,flood"));
      assertEquals(254, LockstepCli.commandLine().execute("test", "--unsafe", "everything"));
      assertEquals(254, LockstepCli.commandLine().execute("test", "--concurrency", "zero"));
      assertEquals(254, LockstepCli.commandLine().execute("replay", "/no/such/run"));
      assertEquals(254, LockstepCli.commandLine().execute("rerun", "/no/such/run"));
      assertEquals(254, LockstepCli.commandLine().execute("nightly", "--duration", "soon"));
    } finally {
      System.setErr(saved);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("unknown 'nope'"), text);
    assertTrue(text.contains("unknown family 'flood'"), text);
    assertTrue(text.contains("unknown bug 'everything'"), text);
    assertTrue(!text.contains("\tat "), "no stack trace: " + text);
  }

  @Test
  void durationsParse() {
    assertEquals(Duration.ofHours(8), NightlyCommand.parseDuration("8h"));
    assertEquals(Duration.ofMinutes(30), NightlyCommand.parseDuration("30m"));
    assertEquals(Duration.ofSeconds(90), NightlyCommand.parseDuration("90s"));
    assertEquals(Duration.ofSeconds(5), NightlyCommand.parseDuration("5"));
    assertThrows(IllegalArgumentException.class, () -> NightlyCommand.parseDuration("soon"));
    assertThrows(IllegalArgumentException.class, () -> NightlyCommand.parseDuration("0s"));
  }

  @Test
  void rerunOfADirectoryWithoutTestJsonIsAUsageError(@TempDir Path dir) throws Exception {
    Path run = Files.createDirectories(dir.resolve("20260101T000000.000"));
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(254, LockstepCli.commandLine().execute("rerun", run.toString()));
    } finally {
      System.setErr(saved);
    }
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("test.json"), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everySubcommandHasHelp() {
    for (String sub : List.of("test", "rerun", "replay", "nightly")) {
      assertEquals(0, LockstepCli.commandLine().execute(sub, "--help"));
    }
    assertEquals(0, LockstepCli.commandLine().execute("bench", "harness", "--help"));
    assertEquals(0, LockstepCli.commandLine().execute("bench", "sim", "--help"));
    assertEquals(0, LockstepCli.commandLine().execute("sim", "--help"));
  }
}
