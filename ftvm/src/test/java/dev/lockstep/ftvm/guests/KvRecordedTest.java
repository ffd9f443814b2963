package dev.lockstep.ftvm.guests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.client.GuestProtocol;
import dev.lockstep.ftvm.client.GuestProtocol.Reply;
import dev.lockstep.ftvm.client.GuestProtocol.Request;
import dev.lockstep.ftvm.client.GuestProtocol.Server;
import dev.lockstep.ftvm.client.Status;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.host.Recorder;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.EventSource;
import dev.lockstep.ftvm.replay.ReplayPort;
import dev.lockstep.ftvm.replay.Replayer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** kv served in real time by the machine's Recorder on its own thread, then replayed from the log. */
class KvRecordedTest {
  private static final Duration REPLY_WAIT_MAX = Duration.ofSeconds(10);
  private static final long RUN_SECONDS_MAX = 30;

  @Test
  void servesRequestsWhileRecordingAndReplaysToTheSameReplies() throws Exception {
    List<Event> log = Collections.synchronizedList(new ArrayList<>());
    List<byte[]> replies = Collections.synchronizedList(new ArrayList<>());
    Machine machine = Machine.boot(Guests.load("kv"), MachineConfig.defaults(), HostPort.UNATTACHED);
    Recorder recorder = new Recorder(machine, HostClock.SYSTEM, new SecureRandom()::nextInt, log::add, null, e -> {
      if (e.kind() == EventKind.NIC_TX) {
        replies.add(e.payload());
      }
    }, Long.MAX_VALUE);
    CompletableFuture<Recorder.Outcome> run = CompletableFuture.supplyAsync(() -> recorder.run(Long.MAX_VALUE));
    try {
      List<Request> requests = List.of(Request.write(1, 1, 5, 10), Request.cas(1, 2, 5, 10, 11),
          Request.read(2, 1, 5), Request.cas(2, 2, 5, 10, 12), Request.read(1, 3, 6));
      for (int i = 0; i < requests.size(); i++) {
        assertTrue(recorder.offerPacket(GuestProtocol.encode(requests.get(i))));
        int expected = i + 1;
        await().atMost(REPLY_WAIT_MAX).until(() -> replies.size() == expected);
      }
      List<Status> statuses = new ArrayList<>();
      for (byte[] r : replies) {
        statuses.add(GuestProtocol.decodeReply(r, Server.KV).status());
      }
      assertEquals(List.of(Status.OK, Status.OK, Status.OK, Status.FAIL, Status.NIL), statuses);
      Reply read = GuestProtocol.decodeReply(replies.get(2), Server.KV);
      assertEquals(11, read.value().getAsInt());
    } finally {
      recorder.requestShutdown();
      assertEquals(Recorder.Outcome.SHUTDOWN, run.get(RUN_SECONDS_MAX, TimeUnit.SECONDS));
    }
    recorder.finish();

    Deque<Event> queue = new ArrayDeque<>(log);
    EventSource source = new EventSource() {
      @Override
      public Event peek() {
        return queue.peekFirst();
      }

      @Override
      public Event take() {
        return queue.pollFirst();
      }
    };
    List<byte[]> replayed = new ArrayList<>();
    Machine replay = Machine.boot(Guests.load("kv"), MachineConfig.defaults(), new ReplayPort(source, e -> {
      if (e.kind() == EventKind.NIC_TX) {
        replayed.add(e.payload());
      }
    }));
    Replayer.Result result = new Replayer(replay, source).run(Long.MAX_VALUE);
    assertEquals(Replayer.Status.SHUTDOWN, result.status());
    assertEquals(1, result.hashesVerified(), "the final state hash was checked");
    assertEquals(machine.icount(), replay.icount());
    assertEquals(replies.size(), replayed.size());
    for (int i = 0; i < replies.size(); i++) {
      assertArrayEquals(replies.get(i), replayed.get(i));
    }
    assertEquals(machine.stateHash(), replay.stateHash());
  }

  /** A burst larger than the NIC's 64-packet rx queue waits in the primary's inbox instead of being dropped. */
  @Test
  void aBurstBeyondTheRxQueueIsHeldBackNotDropped() throws Exception {
    List<byte[]> replies = Collections.synchronizedList(new ArrayList<>());
    Machine machine = Machine.boot(Guests.load("kv"), MachineConfig.defaults(), HostPort.UNATTACHED);
    Recorder recorder = new Recorder(machine, HostClock.SYSTEM, new SecureRandom()::nextInt, e -> {}, null, e -> {
      if (e.kind() == EventKind.NIC_TX) {
        replies.add(e.payload());
      }
    }, Long.MAX_VALUE);
    int burst = 300;
    for (int c = 1; c <= burst; c++) {
      assertTrue(recorder.offerPacket(GuestProtocol.encode(Request.write(c, 1, c % 7, c))));
    }
    CompletableFuture<Recorder.Outcome> run = CompletableFuture.supplyAsync(() -> recorder.run(Long.MAX_VALUE));
    try {
      await().atMost(REPLY_WAIT_MAX).until(() -> replies.size() == burst);
      assertEquals(0, machine.rxDropped(), "no packet of the burst was dropped");
    } finally {
      recorder.requestShutdown();
      assertEquals(Recorder.Outcome.SHUTDOWN, run.get(RUN_SECONDS_MAX, TimeUnit.SECONDS));
    }
  }
}
