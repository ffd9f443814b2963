package dev.lockstep.ftvm.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimNetworkTest {
  private static final long MS = 1_000_000;
  private static final SimNetwork.LinkSettings JITTERY = new SimNetwork.LinkSettings(100_000, 500_000, 125_000_000L);

  /** Records what one end heard, with the virtual time. */
  static final class Ear implements SimNetwork.Handler<String> {
    final Sim sim;
    final List<String> heard = new ArrayList<>();
    final List<Long> at = new ArrayList<>();
    SimSocket<String> socket;

    Ear(Sim sim) {
      this.sim = sim;
    }

    @Override
    public void opened(SimSocket<String> s) {
      socket = s;
      note("opened");
    }

    @Override
    public void received(SimSocket<String> s, String message) {
      note(message);
    }

    @Override
    public void closed(SimSocket<String> s, String reason) {
      note("closed: " + reason);
    }

    private void note(String what) {
      heard.add(what);
      at.add(sim.now());
    }
  }

  private final Sim sim = new Sim(7);
  private final SimNetwork net = new SimNetwork(sim, JITTERY);
  private final SimProcess a = new SimProcess(sim, "a");
  private final SimProcess b = new SimProcess(sim, "b");
  private final Ear client = new Ear(sim);
  private final Ear server = new Ear(sim);

  private SimSocket<String> connected() {
    net.<String>listen(b, "svc", s -> {
      server.socket = s;
      return server;
    });
    SimSocket<String> c = net.connect(a, new SimNetwork.Address("b", "svc"), client, 100 * MS);
    sim.runUntil(10 * MS);
    assertEquals(List.of("opened"), client.heard);
    return c;
  }

  @Test
  void messagesArriveInOrderDespiteJitter() {
    SimSocket<String> c = connected();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      sent.add("m" + i);
      c.send("m" + i, 10);
    }
    sim.runUntil(sim.now() + 100 * MS);
    assertEquals(sent, server.heard);
    assertEquals(0, c.unconsumedBytes());
  }

  @Test
  void bandwidthMakesABigMessageTakeItsTime() {
    SimSocket<String> c = connected();
    long start = sim.now();
    c.send("big", 12_500_000); // 100 ms at 125 MB/s
    c.send("small", 1);
    sim.runUntil(start + 99 * MS);
    assertEquals(List.of(), server.heard);
    assertEquals(12_500_001, c.unconsumedBytes());
    sim.runUntil(start + 120 * MS);
    assertEquals(List.of("big", "small"), server.heard);
  }

  @Test
  void aPartitionHoldsTrafficAndTheHealDeliversItInOrder() {
    SimSocket<String> c = connected();
    net.partition("a", "b");
    c.send("1", 1);
    c.send("2", 1);
    server.socket.send("back", 1);
    sim.runUntil(sim.now() + 5000 * MS);
    assertEquals(List.of(), server.heard);
    assertEquals(List.of("opened"), client.heard);
    assertTrue(c.isOpen(), "a partition closes nothing");
    net.heal("a", "b");
    sim.runUntil(sim.now() + 50 * MS);
    assertEquals(List.of("1", "2"), server.heard);
    assertEquals(List.of("opened", "back"), client.heard);
  }

  @Test
  void aOneWayPartitionHoldsOnlyItsDirection() {
    SimSocket<String> c = connected();
    net.partitionOneWay("a", "b");
    c.send("held", 1);
    server.socket.send("flows", 1);
    sim.runUntil(sim.now() + 50 * MS);
    assertEquals(List.of(), server.heard);
    assertEquals(List.of("opened", "flows"), client.heard);
  }

  @Test
  void aResetClosesBothEndsAtOnceAndLosesWhatWasInFlight() {
    SimSocket<String> c = connected();
    c.send("lost", 1);
    long t = sim.now();
    net.reset("a", "b");
    sim.runUntil(t + 50 * MS);
    assertEquals(List.of("closed: connection reset"), server.heard);
    assertEquals(List.of("opened", "closed: connection reset"), client.heard);
    assertEquals(t, client.at.get(1));
    assertEquals(t, server.at.get(0));
    assertFalse(c.isOpen());
  }

  @Test
  void anOrderlyCloseArrivesAfterWhatWasSentBeforeIt() {
    SimSocket<String> c = connected();
    c.send("last words", 1);
    c.close();
    sim.runUntil(sim.now() + 50 * MS);
    assertEquals(List.of("last words", "closed: connection closed by peer"), server.heard);
    assertEquals(List.of("opened", "closed: closed"), client.heard);
  }

  @Test
  void aCrashedProcessesConnectionsCloseAtThePeerPromptly() {
    connected();
    long t = sim.now();
    net.crash(b);
    sim.runUntil(t + 50 * MS);
    assertEquals(List.of("opened", "closed: connection reset by peer"), client.heard);
    assertTrue(client.at.get(1) - t < 20 * MS, "one latency, not a timeout");
    assertEquals(List.of(), server.heard, "a dead process hears nothing");
  }

  @Test
  void aPausedReceiverTakesItsMessagesLateAndInOrder() {
    SimSocket<String> c = connected();
    b.pause();
    c.send("1", 1);
    c.send("2", 1);
    sim.runUntil(sim.now() + 500 * MS);
    assertEquals(List.of(), server.heard);
    assertEquals(2, c.unconsumedBytes(), "sent but not taken");
    long resumed = sim.now();
    b.resume();
    sim.runUntil(sim.now() + 1);
    assertEquals(List.of("1", "2"), server.heard);
    assertEquals(resumed, server.at.get(0));
  }

  @Test
  void aConnectToNothingIsRefusedAndOneBehindAPartitionTimesOut() {
    net.connect(a, new SimNetwork.Address("b", "nothing"), client, 100 * MS);
    sim.runUntil(50 * MS);
    assertEquals(List.of("closed: connection refused"), client.heard);
    net.<String>listen(b, "svc", s -> server);
    net.partition("a", "b");
    Ear second = new Ear(sim);
    net.connect(a, new SimNetwork.Address("b", "svc"), second, 100 * MS);
    sim.runUntil(sim.now() + 200 * MS);
    assertEquals(List.of("closed: connect timed out after 100 ms"), second.heard);
  }

  @Test
  void theSameSeedGivesTheSameTimes() {
    assertEquals(trace(42), trace(42));
    assertFalse(trace(42).equals(trace(43)));
  }

  private static List<Long> trace(long seed) {
    Sim s = new Sim(seed);
    SimNetwork n = new SimNetwork(s, JITTERY);
    SimProcess x = new SimProcess(s, "x");
    SimProcess y = new SimProcess(s, "y");
    Ear ear = new Ear(s);
    n.<String>listen(y, "svc", sock -> ear);
    SimSocket<String> c = n.connect(x, new SimNetwork.Address("y", "svc"), new Ear(s), 100 * MS);
    for (int i = 0; i < 100; i++) {
      int k = i;
      s.after(i * 10_000L, () -> c.send("m" + k, 100));
    }
    s.runUntil(1000 * MS);
    return ear.at;
  }
}
