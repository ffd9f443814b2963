package dev.lockstep.ftvm.zk;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.golive.Coordinator;
import dev.lockstep.ftvm.golive.GoLiveResult;
import dev.lockstep.ftvm.node.host.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three {@code lockstep zk} members as child processes: go-live works through the ensemble and survives losing one member. */
class ZkEnsembleIT {
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void threeMembersServeAndSurviveOneKill() throws Exception {
    int n = 3;
    int[] client = new int[n];
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      client[i] = FreePorts.free();
      peers.add("127.0.0.1:" + FreePorts.free() + ":" + FreePorts.free());
    }
    List<ZkProcess> members = new ArrayList<>();
    List<Thread> starters = new ArrayList<>();
    // Members start together: each one is ready only once a quorum has formed.
    for (int i = 0; i < n; i++) {
      int id = i + 1;
      Thread t = new Thread(() -> {
        try {
          ZkProcess p = ZkProcess.startMember(client[id - 1], dir.resolve("zk" + id), id, peers);
          synchronized (members) {
            members.add(p);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      starters.add(t);
      t.start();
    }
    try {
      for (Thread t : starters) {
        t.join(BOUND.toMillis());
      }
      assertEquals(n, members.size());
      String connect = "127.0.0.1:" + client[0] + ",127.0.0.1:" + client[1] + ",127.0.0.1:" + client[2];
      try (Coordinator a = new Coordinator(connect, "c1", "a", Duration.ofSeconds(4), null)) {
        a.start();
        assertTrue(a.tryGoLive(0).won());
        members.get(0).kill();
        try (Coordinator b = new Coordinator(connect, "c1", "b", Duration.ofSeconds(4), null)) {
          await().atMost(BOUND).ignoreExceptions().until(() -> {
            b.start();
            return true;
          });
          GoLiveResult r = b.tryGoLive(1);
          assertEquals(new GoLiveResult.Won(2), r);
          assertEquals(new GoLiveResult.Lost(2, "b"), a.tryGoLive(1));
        }
      }
    } finally {
      synchronized (members) {
        for (ZkProcess p : members) {
          p.close();
        }
      }
    }
  }
}
