package dev.lockstep.ftvm.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.ft.BackupLink;
import dev.lockstep.ftvm.ft.BackupListener;
import dev.lockstep.ftvm.ft.ChannelSettings;
import dev.lockstep.ftvm.ft.LogEntry;
import dev.lockstep.ftvm.ft.PrimaryListener;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Faults only the simulated channel can show: crashes, pauses, flow control in virtual time, determinism. */
class SimLogChannelTest {
  private static final long MS = 1_000_000;
  private static final ChannelSettings S = ChannelSettings.of("c1", ChannelSettings.secretOf("s3cret-s3cret"), 4)
      .withTimeouts(Duration.ofMillis(100), Duration.ofMillis(600));

  /** Everything both sides heard, stamped with virtual time. */
  static class Log implements PrimaryListener, BackupListener {
    final Sim sim;
    final List<String> lines = new ArrayList<>();
    BackupLink link;
    long lastSeq;

    Log(Sim sim) {
      this.sim = sim;
    }

    private void add(String s) {
      lines.add(sim.now() + " " + s);
    }

    @Override
    public void backupConnected(BackupLink l, String id) {
      link = l;
      add("connected " + id);
    }

    @Override
    public void acked(long seq, long icount) {
      add("acked " + seq);
    }

    @Override
    public void backupLost(String reason) {
      add("backupLost " + reason);
    }

    @Override
    public void snapshot(long icount, byte[] snapshot) {
      add("snapshot " + icount + " " + snapshot.length);
    }

    @Override
    public void entries(List<LogEntry> entries) {
      lastSeq = entries.get(entries.size() - 1).seq();
      add("entries " + entries.size());
    }

    @Override
    public void progress(long icount) {
      add("progress " + icount);
    }

    @Override
    public void primaryLost(String reason) {
      add("primaryLost " + reason);
    }

    boolean has(String what) {
      return lines.stream().anyMatch(l -> l.contains(what));
    }
  }

  private final Sim sim = new Sim(5);
  private final SimNetwork net = new SimNetwork(sim, SimNetwork.LAN);
  private final SimProcess p = new SimProcess(sim, "p1");
  private final SimProcess b = new SimProcess(sim, "b1");
  private final Log log = new Log(sim);
  private SimLogClient client;

  private void connect() {
    SimLogServer server = SimLogServer.start(net, p, S, "p1", log);
    client = SimLogClient.connect(net, b, server.address(), S, "b1", log);
    sim.runUntil(10 * MS);
    assertTrue(client.connected() && log.link != null, log.lines.toString());
  }

  private static List<LogEntry> entries(long from, int n, int payloadBytes) {
    List<LogEntry> out = new ArrayList<>();
    for (long s = from; s < from + n; s++) {
      out.add(new LogEntry(s, new Event(s * 10, EventKind.NIC_TX, new byte[payloadBytes])));
    }
    return out;
  }

  @Test
  void aCrashedBackupIsLostAtOnceNotAfterTheTimeout() {
    connect();
    long t = sim.now();
    net.crash(b);
    sim.runUntil(t + 50 * MS);
    assertTrue(log.has("backupLost connection closed by backup"), log.lines.toString());
  }

  @Test
  void aPausedBackupIsLostAfterTheFailureTimeoutAndActsOnStaleBeliefsWhenItResumes() {
    connect();
    long t = sim.now();
    b.pause();
    sim.runUntil(t + 2000 * MS);
    assertTrue(log.has("backupLost PeerSilentException"), log.lines.toString());
    assertFalse(log.has("primaryLost"), "a paused process hears nothing");
    b.resume();
    sim.runUntil(sim.now() + 10 * MS);
    assertTrue(log.has("primaryLost"), log.lines.toString());
  }

  @Test
  void aPausedBackupStallsThePrimaryThroughWritableAndItsResumeReleasesIt() {
    connect();
    b.pause();
    long seq = 1;
    int sent = 0;
    while (log.link.writable() && sent < 100) {
      log.link.sendEntries(entries(seq, 100, 1000));
      seq += 100;
      sent++;
    }
    assertFalse(log.link.writable(), "still writable after " + sent + " sends");
    assertTrue(sent * 100 * 1000 >= S.writeBufferBytesMax(), "stalled after " + sent + " sends");
    b.resume();
    sim.runUntil(sim.now() + 100 * MS);
    assertTrue(log.link.writable());
    assertEquals(seq - 1, log.lastSeq);
  }

  @Test
  void aBigSnapshotTakesTheTimeItsBytesNeed() {
    connect();
    net.setLink("p1", "b1", new SimNetwork.LinkSettings(50_000, 0, 125_000_000L)); // 1 Gbit/s
    long t = sim.now();
    log.link.sendSnapshot(1, new byte[64 * 1024 * 1024]);
    sim.runUntil(t + 400 * MS);
    assertFalse(log.has("snapshot"), "64 MiB at 125 MB/s takes over half a second");
    sim.runUntil(t + 700 * MS);
    assertTrue(log.has("snapshot 1 67108864"), log.lines.toString());
  }

  @Test
  void theSameSeedHearsTheSameThingsAtTheSameTimes() {
    assertEquals(run(9), run(9));
  }

  private static List<String> run(long seed) {
    Sim sim = new Sim(seed);
    SimNetwork net = new SimNetwork(sim, new SimNetwork.LinkSettings(100_000, 300_000, 125_000_000L));
    SimProcess p = new SimProcess(sim, "p1");
    SimProcess b = new SimProcess(sim, "b1");
    Log log = new Log(sim);
    SimLogServer server = SimLogServer.start(net, p, S, "p1", log);
    SimLogClient[] client = new SimLogClient[1];
    client[0] = SimLogClient.connect(net, b, server.address(), S, "b1", new Log(sim) {
      @Override
      public void entries(List<LogEntry> e) {
        super.entries(e);
        client[0].ack(e.get(e.size() - 1).seq(), 0);
      }
    });
    sim.runUntil(10 * MS);
    for (int i = 0; i < 50; i++) {
      long first = 1 + i * 10L;
      p.after(i * 200_000L, () -> log.link.sendEntries(entries(first, 10, 50)));
    }
    sim.after(15 * MS, () -> net.partition("p1", "b1"));
    sim.runUntil(2000 * MS);
    return log.lines;
  }
}
