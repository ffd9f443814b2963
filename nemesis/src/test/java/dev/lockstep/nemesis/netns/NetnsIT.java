package dev.lockstep.nemesis.netns;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.nemesis.NemesisException;
import dev.lockstep.nemesis.proxy.Direction;
import dev.lockstep.nemesis.proxy.Fault;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real namespaces, a real bridge and real iptables rules: members reach each other and the host
 * reaches them with plain sockets; cuts, one-way cuts, resets and heals act on real packets; closing the
 * network leaves no namespace, link or rule behind; a dead owner's network is swept, a live one's is
 * not. Skipped without root or iptables.
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
  void linkFaultsActOnRealPacketsAndNothingIsLeftBehind() throws Exception {
    String tag = "t" + Long.toString(ProcessHandle.current().pid(), 36);
    Process server = null;
    try (Netns net = Netns.create(tag, List.of("a", "b"))) {
      assertFalse(Netns.leftovers(tag).isEmpty());
      server = new ProcessBuilder(net.inside("a", java("serve", Integer.toString(PORT)))).redirectErrorStream(true).start();
      await().atMost(WAIT_MAX).until(() -> hostReaches(net, "a"));
      assertTrue(probe(net, "b", "a"), "b reaches a");

      NetnsLink link = new NetnsLink(net, "b-a", "b", "a", PORT);
      for (Direction d : Direction.values()) {
        link.set(d, Fault.cut());
      }
      assertEquals(2, link.rules().size(), link.rules().toString());
      assertFalse(probe(net, "b", "a"), "the cut holds");
      assertTrue(hostReaches(net, "a"), "clients still reach a cut member");
      link.heal();
      assertEquals(List.of(), link.rules());
      await().atMost(WAIT_MAX).until(() -> probe(net, "b", "a"));

      link.set(Direction.UPSTREAM, Fault.cut());
      assertFalse(probe(net, "b", "a"), "b's packets no longer reach a's port");
      link.set(Direction.UPSTREAM, Fault.reset());
      assertEquals(1, link.rules().size(), link.rules().toString());
      assertTrue(link.rules().get(0).contains("tcp-reset"), link.rules().toString());
      assertFalse(probe(net, "b", "a"), "a refuses b");
      link.heal();
      await().atMost(WAIT_MAX).until(() -> probe(net, "b", "a"));

      assertFalse(link.supports(Fault.delay(Duration.ofMillis(5), Duration.ZERO)));
      assertThrows(NemesisException.class, () -> link.set(Direction.UPSTREAM, Fault.delay(Duration.ofMillis(5), Duration.ZERO)));
      link.set(Direction.DOWNSTREAM, Fault.cut());
    } finally {
      if (server != null) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    assertEquals(List.of(), Netns.leftovers(tag), "the run removed everything it made");
  }

  @Test
  void aKilledOwnersNetworkIsSweptAndALiveOnesIsNot() throws Exception {
    String dead = "d" + Long.toString(ProcessHandle.current().pid(), 36);
    String live = "l" + Long.toString(ProcessHandle.current().pid(), 36);
    // What a run killed with SIGKILL leaves: a namespace named for its tag and an unlocked lock file.
    Files.createDirectories(Netns.LOCK_DIR);
    Files.writeString(Netns.LOCK_DIR.resolve(dead + ".lock"), "");
    Shell.run(List.of("ip", "netns", "add", Netns.NAMESPACE_PREFIX + dead + "-n1"));
    try (Netns net = Netns.create(live, List.of("a"))) {
      List<String> swept = Netns.sweepStale();
      assertTrue(swept.contains("netns " + Netns.NAMESPACE_PREFIX + dead + "-n1"), swept.toString());
      assertEquals(List.of(), Netns.leftovers(dead));
      assertEquals(3, Netns.leftovers(live).size(), "the live network keeps its namespace, bridge and veth: " + Netns.leftovers(live));
      assertFalse(Files.exists(Netns.LOCK_DIR.resolve(dead + ".lock")));
    } finally {
      Shell.quietly(List.of("ip", "netns", "del", Netns.NAMESPACE_PREFIX + dead + "-n1"));
    }
    assertEquals(List.of(), Netns.leftovers(live));
  }
}
