package dev.lockstep.ftvm.node.host;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void freePortsAreDistinctBindableAndBelowTheEphemeralRange() throws Exception {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int port = FreePorts.free();
      assertTrue(port >= FreePorts.PORT_LOW && port < FreePorts.ephemeralLow(), "port " + port);
      assertTrue(seen.add(port), "handed out twice: " + port);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(loopback(port));
      }
    }
  }

  @Test
  void aPortInUseIsNotHandedOut() throws Exception {
    int port = FreePorts.free();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(loopback(port));
      // the search wraps around the whole range back to the taken port, and must pass over it
      for (int i = 0; i < FreePorts.ephemeralLow() - FreePorts.PORT_LOW; i++) {
        if (FreePorts.free() == port) {
          throw new AssertionError("handed out port " + port + " while it was bound");
        }
      }
    }
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }
}
