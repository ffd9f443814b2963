package dev.lockstep.ftvm.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiplexedLoadTest {

  @Test
  void clientsRunClosedLoopsAndStopWhenPaused() throws Exception {
    try (GuestStub guest = new GuestStub();
        MultiplexedLoad load = new MultiplexedLoad(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), guest.port()), 16, 100)) {
      assertEquals(0, load.ok(), "starts paused");
      load.resume();
      await().atMost(Duration.ofSeconds(30)).until(() -> load.ok() >= 2_000);
      load.pause(5_000);
      long ok = load.ok();
      assertNull(load.error());
      assertEquals(ok, guest.executed.get(), "every request executed was answered and counted once");
      // closed loop: each client's reqSeqs arrive in order, one call at a time, starting at 1
      Map<Integer, Integer> last = new HashMap<>();
      for (int[] r : guest.received) {
        int prev = last.getOrDefault(r[0], 0);
        assertEquals(prev + 1, r[1], "client " + r[0]);
        last.put(r[0], r[1]);
      }
      assertEquals(16, last.size());
      assertTrue(last.keySet().stream().allMatch(id -> id >= 100 && id < 116));
      await("no call while paused").during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
          .until(() -> load.ok() == ok);
    }
  }

  @Test
  void aWrongReplyStopsTheLoadWithAReason() throws Exception {
    try (GuestStub guest = new GuestStub();
        MultiplexedLoad load = new MultiplexedLoad(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), guest.port()), 2, 1)) {
      guest.noise = true;
      load.resume();
      await().atMost(Duration.ofSeconds(30)).until(() -> load.error() != null);
      assertTrue(load.error().contains("unexpected reply"), load.error());
    }
  }
}
