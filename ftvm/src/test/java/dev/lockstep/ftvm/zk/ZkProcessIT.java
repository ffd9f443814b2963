package dev.lockstep.ftvm.zk;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.golive.Coordinator;
import dev.lockstep.ftvm.golive.ZkUnavailableException;
import dev.lockstep.ftvm.node.host.FreePorts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lockstep zk} as a real child process: ready line, serving, kill -9, restart on the same data. */
class ZkProcessIT {
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void servesSurvivesAKillAndKeepsItsDataAcrossARestart() throws Exception {
    int port = FreePorts.free();
    Path data = dir.resolve("zk");
    long epochBefore;
    try (ZkProcess zk = ZkProcess.start(port, data)) {
      assertTrue(zk.alive());
      assertTrue(ZkCommand.serving("127.0.0.1", port));
      try (Coordinator c = new Coordinator(zk.connectString(), "c1", "a", Duration.ofSeconds(2), null)) {
        c.start();
        assertTrue(c.tryGoLive(0).won());
        epochBefore = c.readEpoch();
      }
      zk.kill();
      assertFalse(zk.alive());
      assertFalse(ZkCommand.serving("127.0.0.1", port));
    }
    try (ZkProcess again = ZkProcess.start(port, data);
        Coordinator c = new Coordinator(again.connectString(), "c1", "b", Duration.ofSeconds(2), null)) {
      c.start();
      assertEquals(epochBefore, c.readEpoch());
      assertEquals(1, epochBefore);
    }
  }

  @Test
  void aCoordinatorWaitsWhileTheServerIsDownAndCarriesOnWhenItReturns() throws Exception {
    int port = FreePorts.free();
    Path data = dir.resolve("zk");
    ZkProcess zk = ZkProcess.start(port, data);
    try (Coordinator c = new Coordinator(zk.connectString(), "c1", "a", Duration.ofSeconds(3), null)) {
      c.start();
      assertTrue(c.tryGoLive(0).won());
      zk.stop();
      try {
        c.tryGoLive(1);
        throw new AssertionError("went live without ZooKeeper");
      } catch (ZkUnavailableException expected) {
        // Nobody goes live alone.
      }
      zk = ZkProcess.start(port, data);
      await().atMost(BOUND).ignoreExceptions().until(() -> c.tryGoLive(1).won());
      assertEquals(2, c.readEpoch());
    } finally {
      zk.close();
    }
  }

  @Test
  void aPortInUseIsReportedAndTheProcessEnds() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Path data = dir.resolve("zk");
      try {
        ZkProcess.start(taken.getLocalPort(), data).close();
        throw new AssertionError("started on a port in use");
      } catch (IOException expected) {
        assertTrue(expected.getMessage().contains("not ready"), expected.getMessage());
      }
      assertTrue(Files.readString(data.resolve("zk.err")).contains("lockstep zk"));
    }
  }

  @Test
  void badArgumentsExitWith254AndOneLine() {
    for (String[] args : new String[][] {
        {"--port", "0", "--data", dir.toString()},
        {"--port", "2181"},
        {"--port", "2181", "--data", dir.toString(), "--server-id", "1"},
        {"--port", "2181", "--data", dir.toString(), "--server-id", "4", "--peers", "h:1:2,h:3:4"},
        {"--port", "2181", "--data", dir.toString(), "--server-id", "1", "--peers", "h:1"},
    }) {
      StringWriter err = new StringWriter();
      CommandLine cli = new CommandLine(new ZkCommand());
      cli.setErr(new PrintWriter(err));
      cli.setParameterExceptionHandler((ex, a) -> {
        ex.getCommandLine().getErr().println("lockstep zk: " + ex.getMessage());
        return ZkCommand.EXIT_USAGE;
      });
      assertEquals(ZkCommand.EXIT_USAGE, cli.execute(args), String.join(" ", args));
      assertTrue(err.toString().startsWith("lockstep zk: "), err.toString());
      assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }
  }
}
