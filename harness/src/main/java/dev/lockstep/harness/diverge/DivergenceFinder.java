package dev.lockstep.harness.diverge;

import dev.lockstep.ftvm.disasm.Disassembler;
import dev.lockstep.ftvm.disasm.TraceLine;
import dev.lockstep.ftvm.guests.Guests;
import dev.lockstep.ftvm.machine.GuestFault;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.node.records.NodeSnapshot;
import dev.lockstep.ftvm.node.records.ReplaySegments;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.EventSource;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.replay.ReplayDivergence;
import dev.lockstep.ftvm.replay.ReplayLogException;
import dev.lockstep.ftvm.replay.ReplayPort;
import dev.lockstep.ftvm.replay.Replayer;
import dev.lockstep.harness.runner.NodeReplay;
import dev.lockstep.histories.events.NodeEvent;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds where two nodes of one epoch parted.
 *
 * <p>Each node's state hashes (logged every few thousand instructions) and its divergence report give
 * the window {@code (agree, differ]} where the machine states parted. Each node's replay log holds what
 * its own guest consumed (a backup that answered a clock read from its own clock logs that value), so
 * {@link PartingFinder} re-executes both nodes through the window and bisects to the first instruction
 * after which their states differ, with every differing register, memory word and device field. The
 * backup's log is also re-executed once through the window (its logged hashes verified on the way) to
 * list every nondeterministic input there with the instruction that consumed it. When only one node's
 * log covers the window from a kept snapshot or boot, the report says so and shows that side alone.
 */
public final class DivergenceFinder {
  /** Inputs listed around the parting point at most. */
  public static final int INPUTS_LISTED_MAX = 12;
  /** Instructions traced before and after the parting point. */
  public static final int AROUND_INSTRUCTIONS = 6;

  /** One node's view of the epoch. */
  public record Side(String node, String role, TreeMap<Long, String> hashes, NodeEvent.Divergence divergence) {}

  /** An input the reference execution consumed, with the instruction that read it (pc -1 for async events). */
  public record Input(long icount, int pc, String instruction, EventKind kind, String value) {}

  /** What the finder found; {@code differ < 0} when the two nodes never parted. */
  public record Report(long epoch, Side a, Side b, long agree, long differ, int commonHashes,
      String reference, long hashesVerified, List<Input> inputs, Input parting, List<String> around,
      PartingFinder.Parting both, String cannotSee) {
    public boolean diverged() {
      return differ >= 0;
    }
  }

  /** A user's mistake or unusable run: one line. */
  public static final class FinderException extends Exception {
    public FinderException(String message) {
      super(message);
    }
  }

  private DivergenceFinder() {}

  /**
   * @param nodes two node ids, or empty: the node that reported a divergence and its primary
   * @param epoch the epoch, or empty: the first epoch with a divergence report, else the first with
   *     hashes from two nodes
   */
  public static Report find(RunDirectory run, String guest, Optional<List<String>> nodes, Optional<Long> epoch)
      throws FinderException, IOException {
    Map<String, List<NodeEvent>> events = run.readNodeEvents();
    long e = epoch.isPresent() ? epoch.get() : chooseEpoch(events);
    List<String> pair = nodes.isPresent() ? nodes.get() : choosePair(events, e);
    for (String n : pair) {
      if (!events.containsKey(n)) {
        throw new FinderException("no node " + n + " in " + run.path() + " (nodes: " + String.join(", ", events.keySet()) + ")");
      }
    }
    Side a = side(pair.get(0), events.get(pair.get(0)), e);
    Side b = side(pair.get(1), events.get(pair.get(1)), e);
    if (a.hashes.isEmpty() && b.hashes.isEmpty()) {
      throw new FinderException("neither " + a.node + " nor " + b.node + " logged a state hash in epoch " + e);
    }
    TreeSet<Long> common = new TreeSet<>(a.hashes.keySet());
    common.retainAll(b.hashes.keySet());
    long agree = -1;
    long differ = -1;
    for (long ic : common) {
      if (a.hashes.get(ic).equals(b.hashes.get(ic))) {
        agree = ic;
      } else {
        differ = ic;
        break;
      }
    }
    NodeEvent.Divergence reported = a.divergence != null ? a.divergence : b.divergence;
    if (differ < 0 && reported != null) {
      differ = reported.icount();
    }
    if (differ < 0) {
      return new Report(e, a, b, agree, -1, common.size(), null, 0, List.of(), null, List.of(), null, null);
    }
    Side backup = "backup".equals(b.role) || b.divergence != null ? b : a;
    return replayWindow(run, guest, e, a, b, backup, agree, differ, common.size());
  }

  private static Report replayWindow(RunDirectory run, String guest, long epoch, Side a, Side b, Side backup,
      long agree, long differ, int common) throws FinderException, IOException {
    byte[] image = Guests.load(guest);
    Path dir = run.nodeDirectory(backup.node);
    for (Path segment : ReplaySegments.list(dir)) {
      Path snap = ReplaySegments.snapshotOf(segment);
      if (!Files.isRegularFile(snap)) {
        continue;
      }
      byte[] snapshot = Files.readAllBytes(snap);
      NodeReplay.Log log;
      try {
        log = NodeReplay.read(segment, image);
      } catch (ReplayLogException ex) {
        continue;
      }
      List<Event> ev = log.events();
      if (ev.isEmpty() || ev.get(ev.size() - 1).icount() < differ) {
        continue;
      }
      EventSource source = EventSource.of(ev);
      ReplayPort port = new ReplayPort(source, OutputHandler.NONE);
      Machine m = NodeSnapshot.read(snapshot, port).machine();
      long start = m.icount();
      if (start > differ) {
        continue;
      }
      long from = Math.max(start, agree);
      List<Input> inputs = new ArrayList<>();
      m.setPort(new Watching(port, m, from, differ, inputs));
      Replayer replayer = new Replayer(m, source);
      String reference = backup.node + "/" + segment.getFileName() + " from its snapshot at icount " + start;
      try {
        replayer.run(from);
        replayer.run(differ);
      } catch (ReplayDivergence | GuestFault | IllegalArgumentException | IllegalStateException ex) {
        throw new FinderException(reference + ": the logged inputs do not re-execute (" + ex.getMessage() + ")");
      }
      for (Event x : ev) {
        if (x.kind().isAsync() && x.icount() > from && x.icount() <= differ) {
          inputs.add(new Input(x.icount(), -1, "", x.kind(), x.payload().length + " bytes"));
        }
      }
      inputs.sort((p, q) -> Long.compare(p.icount, q.icount));
      PartingFinder.Parting both = PartingFinder.find(run, image, a.node, b.node, from, differ);
      Input parting = both == null ? null
          : inputs.stream().filter(i -> i.icount == both.icount() && i.pc >= 0).findFirst().orElse(null);
      String cannotSee = both != null ? null
          : "only " + backup.node + "'s log re-executes through the window from a kept snapshot or boot, so the two"
              + " sides cannot be compared instruction by instruction; the states part inside the window";
      List<String> around = both == null ? List.of() : around(snapshot, ev, both.icount());
      return new Report(epoch, a, b, from, differ, common, reference, replayer.hashesVerified(), inputs, parting,
          around, both, cannotSee);
    }
    throw new FinderException("no replay log of " + backup.node + " in " + dir + " covers icounts " + agree + " to "
        + differ + " from a kept snapshot");
  }

  /** The instructions retired around {@code icount}, re-executed from the snapshot once more. */
  private static List<String> around(byte[] snapshot, List<Event> ev, long icount) throws IOException {
    EventSource source = EventSource.of(ev);
    Machine m = NodeSnapshot.read(snapshot, new ReplayPort(source, OutputHandler.NONE)).machine();
    List<String> lines = new ArrayList<>();
    long from = Math.max(m.icount(), icount - AROUND_INSTRUCTIONS);
    m.trace(from, icount + AROUND_INSTRUCTIONS + 1, (ic, pc, insn) -> {
      int rd = Disassembler.destination(insn);
      lines.add(TraceLine.format(ic, pc, insn, rd < 0 ? 0 : m.register(rd)) + (ic == icount ? "   <- parted here" : ""));
    });
    new Replayer(m, source).run(icount + AROUND_INSTRUCTIONS + 1);
    return lines;
  }

  private static Side side(String node, List<NodeEvent> events, long epoch) {
    TreeMap<Long, String> hashes = new TreeMap<>();
    String role = null;
    NodeEvent.Divergence div = null;
    for (NodeEvent ev : events) {
      if (ev instanceof NodeEvent.StateHash h && h.epoch() == epoch) {
        hashes.putIfAbsent(h.icount(), h.hash());
        role = role == null ? h.role() : role;
      } else if (ev instanceof NodeEvent.Divergence d && d.epoch() == epoch && div == null) {
        div = d;
      } else if (ev instanceof NodeEvent.RoleChange r && r.epoch() == epoch && role == null) {
        role = r.role();
      }
    }
    return new Side(node, role == null ? "?" : role, hashes, div);
  }

  private static long chooseEpoch(Map<String, List<NodeEvent>> events) throws FinderException {
    long best = Long.MAX_VALUE;
    for (List<NodeEvent> list : events.values()) {
      for (NodeEvent ev : list) {
        if (ev instanceof NodeEvent.Divergence d) {
          best = Math.min(best, d.epoch());
        }
      }
    }
    if (best != Long.MAX_VALUE) {
      return best;
    }
    TreeMap<Long, TreeSet<String>> nodesByEpoch = new TreeMap<>();
    events.forEach((node, list) -> list.forEach(ev -> {
      if (ev instanceof NodeEvent.StateHash h) {
        nodesByEpoch.computeIfAbsent(h.epoch(), k -> new TreeSet<>()).add(node);
      }
    }));
    return nodesByEpoch.entrySet().stream().filter(en -> en.getValue().size() >= 2).map(Map.Entry::getKey)
        .findFirst().orElseThrow(() -> new FinderException("no epoch has state hashes from two nodes; name them with --nodes and --epoch"));
  }

  private static List<String> choosePair(Map<String, List<NodeEvent>> events, long epoch) throws FinderException {
    String primary = null;
    String other = null;
    for (var en : events.entrySet()) {
      for (NodeEvent ev : en.getValue()) {
        if (ev instanceof NodeEvent.StateHash h && h.epoch() == epoch) {
          if ("primary".equals(h.role()) && primary == null) {
            primary = en.getKey();
          } else if (!en.getKey().equals(primary) && other == null) {
            other = en.getKey();
          }
          break;
        }
      }
    }
    if (primary == null || other == null) {
      throw new FinderException("epoch " + epoch + " has no primary and second node with state hashes; name them with --nodes A,B");
    }
    return List.of(primary, other);
  }

  /** The replay port, noting each synchronous input inside the window with the instruction that read it. */
  private static final class Watching implements HostPort {
    private final HostPort port;
    private final Machine m;
    private final long from;
    private final long to;
    private final List<Input> inputs;

    Watching(HostPort port, Machine m, long from, long to, List<Input> inputs) {
      this.port = port;
      this.m = m;
      this.from = from;
      this.to = to;
      this.inputs = inputs;
    }

    private void note(long icount, EventKind kind, String value) {
      if (icount >= from && icount < to) {
        int pc = m.pc();
        inputs.add(new Input(icount, pc, Disassembler.disassemble(m.readWord(pc), pc), kind, value));
      }
    }

    @Override
    public long readClock(long icount, EventKind kind) {
      long v = port.readClock(icount, kind);
      note(icount, kind, Long.toString(v));
      return v;
    }

    @Override
    public int readRandom(long icount) {
      int v = port.readRandom(icount);
      note(icount, EventKind.RNG, "0x" + Integer.toHexString(v));
      return v;
    }

    @Override
    public void output(long icount, EventKind kind, byte[] payload) {
      port.output(icount, kind, payload);
    }
  }
}
