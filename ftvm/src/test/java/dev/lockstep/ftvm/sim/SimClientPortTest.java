package dev.lockstep.ftvm.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.client.GuestProtocol;
import dev.lockstep.ftvm.node.host.ClientPortServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated client port: order per connection, routing by clientId, resets, held traffic. */
class SimClientPortTest {

  private final Sim sim = new Sim(42);
  private final SimProcess node = new SimProcess(sim, "n1");
  private final SimClientPort port = new SimClientPort(sim, "n1", node);
  private final List<byte[]> inbox = new ArrayList<>();

  /** A client end that writes down what it hears. */
  private static final class Ear implements SimClientPort.ClientEnd {
    final List<String> heard = new ArrayList<>();

    @Override
    public void connected() {
      heard.add("connected");
    }

    @Override
    public void reply(byte[] packet) {
      heard.add("reply " + ClientPortServer.clientId(packet) + "/" + reqSeq(packet));
    }

    @Override
    public void reset() {
      heard.add("reset");
    }
  }

  private void openPort() {
    port.open(new SimClientPort.Inbox() {
      @Override
      public boolean offer(byte[] packet) {
        inbox.add(packet);
        return true;
      }

      @Override
      public void offered() {}
    });
  }

  private static byte[] request(int clientId, int reqSeq) {
    return GuestProtocol.encode(GuestProtocol.Request.read(clientId, reqSeq, 0));
  }

  private static int reqSeq(byte[] packet) {
    return java.nio.ByteBuffer.wrap(packet, 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
  }

  private void settle() {
    sim.runUntil(sim.now() + 1_000_000_000L);
  }

  @Test
  void requestsArriveInOrderPerConnectionAndRepliesGoToTheLastSender() {
    openPort();
    Ear a = new Ear();
    Ear b = new Ear();
    SimClientPort.Connection ca = port.connect(a);
    SimClientPort.Connection cb = port.connect(b);
    settle();
    assertEquals(List.of("connected"), a.heard);
    for (int i = 1; i <= 50; i++) {
      ca.send(request(7, i));
    }
    settle();
    assertEquals(50, inbox.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(i + 1, reqSeq(inbox.get(i)), "in order despite drawn latencies");
    }
    cb.send(request(7, 51)); // client 7 moved to connection b
    settle();
    port.reply(request(7, 51));
    port.reply(request(9, 1)); // nobody sent clientId 9: dropped
    port.repliesDone();
    settle();
    assertEquals(List.of("connected"), a.heard);
    assertEquals(List.of("connected", "reply 7/51"), b.heard);
    assertEquals(1, port.unroutable());
  }

  @Test
  void closeResetsEveryConnectionAndRefusesNewOnes() {
    openPort();
    Ear a = new Ear();
    port.connect(a);
    settle();
    port.close();
    settle();
    assertEquals(List.of("connected", "reset"), a.heard);
    Ear late = new Ear();
    port.connect(late);
    settle();
    assertEquals(List.of("reset"), late.heard, "a closed port refuses");
  }

  @Test
  void aCutLinkHoldsTrafficUntilTheHealThenDeliversItInOrder() {
    openPort();
    Ear a = new Ear();
    SimClientPort.Connection c = port.connect(a);
    settle();
    port.partition(true);
    for (int i = 1; i <= 5; i++) {
      c.send(request(3, i));
    }
    settle();
    assertTrue(inbox.isEmpty(), "held while cut");
    port.partition(false);
    settle();
    assertEquals(5, inbox.size());
    assertEquals(5, reqSeq(inbox.get(4)));
  }

  @Test
  void aPausedNodeReadsItsRequestsWhenItResumes() {
    openPort();
    Ear a = new Ear();
    SimClientPort.Connection c = port.connect(a);
    settle();
    node.pause();
    c.send(request(1, 1));
    settle();
    assertTrue(inbox.isEmpty());
    node.resume();
    settle();
    assertEquals(1, inbox.size());
  }

  @Test
  void theSameSeedGivesTheSameArrivalTimes() {
    assertEquals(arrivals(5), arrivals(5));
  }

  private static List<Long> arrivals(long seed) {
    Sim s = new Sim(seed);
    SimClientPort p = new SimClientPort(s, "n1", null);
    List<Long> times = new ArrayList<>();
    p.open(new SimClientPort.Inbox() {
      @Override
      public boolean offer(byte[] packet) {
        times.add(s.now());
        return true;
      }

      @Override
      public void offered() {}
    });
    SimClientPort.Connection c = p.connect(new Ear());
    for (int i = 1; i <= 20; i++) {
      int seq = i;
      s.after(i * 1000L, () -> {});
      s.runUntil(s.now() + 3_000_000);
      c.send(request(1, seq));
    }
    s.runUntil(s.now() + 10_000_000);
    return times;
  }
}
