package dev.lockstep.harness.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortsTest {

  @Test
  void freePortsAreDistinctBindableAndBelowTheEphemeralRange() throws Exception {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int port = Ports.free();
      assertTrue(port >= Ports.PORT_LOW && port < Ports.ephemeralLow(), "port " + port);
      assertTrue(seen.add(port), "handed out twice: " + port);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(Ports.local(port));
      }
    }
  }

  @Test
  void aPortInUseIsNotHandedOut() throws Exception {
    int port = Ports.free();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(Ports.local(port));
      // the search wraps around the whole range back to the taken port, and must pass over it
      for (int i = 0; i < Ports.ephemeralLow() - Ports.PORT_LOW; i++) {
        if (Ports.free() == port) {
          throw new AssertionError("handed out port " + port + " while it was bound");
        }
      }
    }
  }

  @Test
  void aStartFailureQuotesTheLogsLastErrorElseItsLastLine(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("stdout.log");
    assertEquals("", TestCluster.lastWords(log), "no log yet");
    Files.write(log, List.of("[main] INFO x - starting", "[main] ERROR x - node n1: cannot listen on 127.0.0.1:5",
        "[main] INFO x - closing", ""));
    assertEquals("; last log line: [main] ERROR x - node n1: cannot listen on 127.0.0.1:5", TestCluster.lastWords(log));
    Files.write(log, List.of("[main] INFO x - starting", "[main] INFO x - waiting for ZooKeeper", ""));
    assertEquals("; last log line: [main] INFO x - waiting for ZooKeeper", TestCluster.lastWords(log));
  }
}
