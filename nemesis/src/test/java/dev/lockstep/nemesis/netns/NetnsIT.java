package dev.lockstep.nemesis.netns;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real namespaces, a real bridge and real iptables rules: members reach each other and the host
 * reaches them with plain sockets; cuts, one-way drops and heals act on real packets; closing the
 * network leaves no namespace, link or rule behind. Skipped without root or iptables.
 */
class NetnsIT {
  private static final Duration WAIT_MAX = Duration.ofSeconds(20);
  private static final int PORT = 7411;
  private static final int PROBE_TIMEOUT_MS = 1_000;

  @BeforeAll
  static void needsRootAndTools() {
    assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
    assumeTrue(Shell.has("iptables") && Shell.has("ip"), "needs iptables and iproute2 (scripts/setup.sh as root)");
  }

  private static List<String> java(String... args) {
    List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), TinyNet.class.getName()));
    c.addAll(List.of(args));
    return c;
  }

  private static boolean probe(Netns net, String from, String to) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(net.inside(from, java("probe", net.address(to), Integer.toString(PORT),
        Integer.toString(PROBE_TIMEOUT_MS)))).redirectErrorStream(true).start();
    try {
      return p.waitFor(PROBE_TIMEOUT_MS * 10L, TimeUnit.MILLISECONDS) && p.exitValue() == 0;
    } finally {
      p.destroyForcibly();
    }
  }

  private static boolean hostReaches(Netns net, String member) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(net.address(member), PORT), PROBE_TIMEOUT_MS);
      s.setSoTimeout(PROBE_TIMEOUT_MS);
      return s.getInputStream().read() == 42;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void partitionsActOnRealPacketsAndNothingIsLeftBehind() throws Exception {
    String tag = "t" + Long.toString(ProcessHandle.current().pid(), 36);
    Process server = null;
    try (Netns net = Netns.create(tag, List.of("a", "b"))) {
      assertFalse(Netns.leftovers(tag).isEmpty());
      server = new ProcessBuilder(net.inside("a", java("serve", Integer.toString(PORT)))).redirectErrorStream(true).start();
      await().atMost(WAIT_MAX).until(() -> hostReaches(net, "a"));
      assertTrue(probe(net, "b", "a"), "b reaches a");

      Partitions partitions = new Partitions(net);
      partitions.cut("a", "b");
      assertFalse(probe(net, "b", "a"), "the cut holds");
      assertTrue(hostReaches(net, "a"), "clients still reach a cut member");
      partitions.healAll();
      await().atMost(WAIT_MAX).until(() -> probe(net, "b", "a"));

      partitions.dropFrom("a", "b");
      assertEquals(2, partitions.rules("a").size(), partitions.rules("a").toString());
      assertFalse(probe(net, "b", "a"), "b's packets no longer reach a");
      partitions.heal("a");
      await().atMost(WAIT_MAX).until(() -> probe(net, "b", "a"));

      partitions.isolate("b");
      assertFalse(probe(net, "b", "a"));
    } finally {
      if (server != null) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    assertEquals(List.of(), Netns.leftovers(tag), "the run removed everything it made");
  }
}
