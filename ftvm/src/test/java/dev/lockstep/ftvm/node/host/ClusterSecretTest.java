package dev.lockstep.ftvm.node.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.node.NodeExit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClusterSecretTest {
  @TempDir Path dir;

  @Test
  void generatedFileIsOwnerOnlyFreshAndReadBack() throws Exception {
    Path f = dir.resolve("a/cluster.secret");
    String s = ClusterSecret.generate(f);
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(f));
    assertEquals(s, ClusterSecret.read(f));
    assertNotEquals(s, ClusterSecret.generate(dir.resolve("b.secret")), "every run gets its own secret");
    assertThrows(java.io.IOException.class, () -> ClusterSecret.generate(f), "never overwrites a secret file");
  }

  @Test
  void worldReadableFileIsRefusedWithOneLine() throws Exception {
    Path f = dir.resolve("open.secret");
    Files.writeString(f, "a-long-enough-secret\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterSecret.read(f));
    assertTrue(e.getMessage().contains("readable by every user") && e.getMessage().contains("chmod 600"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    Files.setPosixFilePermissions(f, ownerOnly());
    assertEquals("a-long-enough-secret", ClusterSecret.read(f));
  }

  @Test
  void noSecretAnywhereIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ClusterSecret.resolve(null, null, Map.of()));
    assertTrue(e.getMessage().contains("--secret-file") && e.getMessage().contains(ClusterSecret.ENV), e.getMessage());
  }

  @Test
  void missingShortOrDoubleSecretsAreRefused() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> ClusterSecret.resolve(dir.resolve("none"), null, Map.of()));
    Path f = dir.resolve("short.secret");
    Files.writeString(f, "short");
    Files.setPosixFilePermissions(f, ownerOnly());
    assertThrows(IllegalArgumentException.class, () -> ClusterSecret.resolve(f, null, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> ClusterSecret.resolve(f, "long-enough-1", Map.of()));
    assertThrows(IllegalArgumentException.class, () -> ClusterSecret.resolve(null, null, Map.of(ClusterSecret.ENV, "short")));
  }

  @Test
  void environmentAndTestFlagWork() {
    ClusterSecret.Resolved env = ClusterSecret.resolve(null, null, Map.of(ClusterSecret.ENV, "from-the-environment"));
    assertEquals("from-the-environment", env.secret());
    assertNull(env.warning());
    ClusterSecret.Resolved flag = ClusterSecret.resolve(null, "from-the-command-line", Map.of());
    assertEquals("from-the-command-line", flag.secret());
    assertTrue(flag.warning().contains("tests only"));
  }

  @Test
  void nodeWithoutSecretExitsWithUsageAndOneLine() throws Exception {
    Path open = dir.resolve("open.secret");
    Files.writeString(open, "a-long-enough-secret");
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    String[][] cases = {{}, {"--secret-file", open.toString()}, {"--secret-file", dir.resolve("missing").toString()}};
    for (String[] extra : cases) {
      StringWriter err = new StringWriter();
      CommandLine cli = new CommandLine(new NodeCommand());
      cli.setErr(new PrintWriter(err, true));
      String[] base = {"--id", "a", "--cluster", "c", "--zk", "127.0.0.1:1", "--guest", "kv", "--data", dir.resolve("d").toString()};
      String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra)).toArray(String[]::new);
      int code = cli.execute(args);
      assertEquals(NodeExit.USAGE, code, String.join(" ", extra));
      String text = err.toString().strip();
      assertTrue(text.startsWith("lockstep node: ") && !text.contains("\n") && !text.contains("Exception"), text);
    }
  }

  private static java.util.Set<PosixFilePermission> ownerOnly() {
    return PosixFilePermissions.fromString("rw-------");
  }
}
