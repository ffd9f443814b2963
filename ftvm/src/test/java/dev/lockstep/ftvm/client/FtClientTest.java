package dev.lockstep.ftvm.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.golive.Coordinator;
import dev.lockstep.ftvm.golive.NodeAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FtClient against a real ZooKeeper and loopback client ports. */
class FtClientTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final Duration SESSION = Duration.ofMillis(1500);
  private static final Duration CALL = Duration.ofMillis(1500);

  @TempDir Path dir;
  private TestingServer zk;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void startZk() throws Exception {
    zk = new TestingServer(new InstanceSpec(dir.resolve("zk").toFile(), -1, -1, -1, true, 1, 100, -1), true);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    zk.close();
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  /** Runs a stub as the primary of a fresh epoch, published in ZooKeeper. */
  private GuestStub primary(String nodeId, Coordinator c) throws Exception {
    GuestStub stub = track(new GuestStub());
    long epoch = c.tryGoLive(c.readEpoch()).epoch();
    assertTrue(c.publishPrimary(new NodeAddress(nodeId, "127.0.0.1", stub.port(), 1), epoch));
    return stub;
  }

  private Coordinator node(String id) throws Exception {
    Coordinator c = track(new Coordinator(zk.getConnectString(), "c1", id, SESSION, null));
    c.start();
    return c;
  }

  private FtClient client(int id) {
    return track(new FtClient(zk.getConnectString(), "c1", id, CALL));
  }

  @Test
  void classifiesEveryGuestStatus() throws Exception {
    primary("a", node("a"));
    FtClient c = client(7);
    assertInstanceOf(Result.Ok.class, c.call(Request.write(1, 10)));
    Result.Ok read = assertInstanceOf(Result.Ok.class, c.call(Request.read(1)));
    assertEquals(10, read.reply().value());
    Result.Ok nil = assertInstanceOf(Result.Ok.class, c.call(Request.read(2)), "a read of an absent key is ok");
    assertEquals(Status.NIL, nil.reply().status());
    assertInstanceOf(Result.Ok.class, c.call(Request.cas(1, 10, 11)));
    Result.Fail mismatch = assertInstanceOf(Result.Fail.class, c.call(Request.cas(1, 10, 12)));
    assertEquals(Status.FAIL, mismatch.reply().get().status());
    assertInstanceOf(Result.Fail.class, c.call(Request.cas(3, 0, 1)), "cas on an absent key did not happen");
    assertInstanceOf(Result.Fail.class, c.call(Request.append(1, 5)), "FULL did not happen");
    assertInstanceOf(Result.Fail.class, c.call(new Request(Op.READ_LIST, 1, 0, 0)), "BAD_REQUEST did not happen");
    assertEquals(8, c.lastReqSeq());
  }

  @Test
  void staleAndForeignRepliesAreDropped() throws Exception {
    GuestStub stub = primary("a", node("a"));
    stub.noise = true;
    FtClient c = client(7);
    for (int i = 1; i <= 5; i++) {
      Result.Ok ok = assertInstanceOf(Result.Ok.class, c.call(Request.write(1, i)));
      assertEquals(i, ok.reply().reqSeq());
      assertEquals(7, ok.reply().clientId());
    }
    assertEquals(10 - 5, stub.executed.get());
  }

  @Test
  void silenceMakesItResendTheSameReqSeqWhichExecutesOnce() throws Exception {
    GuestStub stub = primary("a", node("a"));
    stub.swallow.set(2);
    FtClient c = client(9);
    Result.Ok ok = assertInstanceOf(Result.Ok.class, c.call(Request.write(4, 44)));
    assertEquals(1, ok.reply().reqSeq());
    assertEquals(3, stub.received.size(), "sent three times");
    assertTrue(stub.received.stream().allMatch(r -> r[1] == 1), "always reqSeq 1");
    assertEquals(1, stub.executed.get());
  }

  @Test
  void noReplyAfterDeliveryIsInfoNeverFail() throws Exception {
    GuestStub stub = primary("a", node("a"));
    stub.silent = true;
    Result r = client(3).call(Request.write(1, 1));
    assertInstanceOf(Result.Info.class, r);
    assertTrue(stub.received.size() >= 2);
  }

  @Test
  void noPrimaryMeansFailNeverSent() {
    Result.Fail f = assertInstanceOf(Result.Fail.class, client(3).call(Request.write(1, 1)));
    assertTrue(f.reason().contains("never sent"), f.reason());
    assertTrue(f.reply().isEmpty());
  }

  @Test
  void aPublishedPrimaryThatRefusesConnectionsMeansFailNeverSent() throws Exception {
    Coordinator a = node("a");
    a.tryGoLive(0);
    int deadPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    assertTrue(a.publishPrimary(new NodeAddress("a", "127.0.0.1", deadPort, 1), 1));
    Result.Fail f = assertInstanceOf(Result.Fail.class, client(3).call(Request.write(1, 1)));
    assertTrue(f.reason().contains("never sent") && f.reason().contains("failed"), f.reason());
  }

  @Test
  void followsTheNewPrimaryAfterAFailoverWithTheSameReqSeq() throws Exception {
    Coordinator a = node("a");
    GuestStub first = primary("a", a);
    FtClient c = track(new FtClient(zk.getConnectString(), "c1", 5, Duration.ofSeconds(10)));
    assertInstanceOf(Result.Ok.class, c.call(Request.write(1, 1)));
    first.silent = true;
    Coordinator b = node("b");
    GuestStub[] second = new GuestStub[1];
    // The request reaches the old primary, which dies without answering; the other node goes live.
    Thread failover = new Thread(() -> {
      try {
        await().atMost(BOUND).until(() -> first.received.size() >= 2);
        first.close();
        second[0] = primary("b", b);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    failover.start();
    Result.Ok ok = assertInstanceOf(Result.Ok.class, c.call(Request.write(1, 2)));
    failover.join(BOUND.toMillis());
    assertEquals(2, ok.reply().reqSeq());
    assertTrue(second[0].received.stream().allMatch(r -> r[0] == 5 && r[1] == 2), "the same reqSeq, resent");
    assertEquals(1, second[0].executed.get());
  }
}
