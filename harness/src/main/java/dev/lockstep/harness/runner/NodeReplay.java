package dev.lockstep.harness.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.ftvm.guests.Guests;
import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.GuestFault;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.node.records.NodeSnapshot;
import dev.lockstep.ftvm.node.records.ReplaySegments;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventSource;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.replay.ReplayDivergence;
import dev.lockstep.ftvm.replay.ReplayLogException;
import dev.lockstep.ftvm.replay.ReplayLogReader;
import dev.lockstep.ftvm.replay.ReplayPort;
import dev.lockstep.ftvm.replay.Replayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Re-executes one node's guest from its replay logs with the machine's {@link Replayer}: the same inputs
 * at the same icounts must give the same outputs and state hashes. A node writes one segment per run
 * ({@code nodes/<id>/replay.log}, then {@code replay-2.log}, ...; see {@link ReplaySegments}); each is
 * replayed on its own, from the snapshot kept next to it ({@code replay.snapshot}, ...) when the run
 * joined as backup, else from boot. A log cut short by SIGKILL is replayed up to its last whole record.
 */
public final class NodeReplay {

  /** Events read from one log at most; a larger log is refused rather than exhausting the heap. */
  public static final int EVENTS_MAX = 20_000_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What replaying one node showed. */
  public record Outcome(String node, boolean identical, String detail) {}

  /** A log's whole records, and why reading stopped early if it did. */
  record Log(List<Event> events, String cutShort) {}

  private NodeReplay() {}

  /** Replays every node of a run directory that has a replay log, booting guest {@code guest}. */
  public static List<Outcome> replayAll(Path runDir, String guest) throws IOException {
    Path nodes = runDir.resolve("nodes");
    List<String> ids = new ArrayList<>();
    if (Files.isDirectory(nodes)) {
      try (var list = Files.list(nodes)) {
        list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(ids::add);
      }
    }
    byte[] image = Guests.load(guest);
    List<Outcome> outcomes = new ArrayList<>();
    for (String id : ids) {
      for (Path segment : ReplaySegments.list(nodes.resolve(id))) {
        String name = segment.getFileName().toString();
        String label = name.equals(ReplaySegments.FIRST) ? id : id + "/" + name;
        outcomes.add(replaySegment(segment, label, image));
      }
    }
    return outcomes;
  }

  private static Outcome replaySegment(Path segment, String id, byte[] image) throws IOException {
    Log log;
    try {
      log = read(segment, image);
    } catch (ReplayLogException e) {
      return new Outcome(id, false, "unreadable replay log: " + e.getMessage());
    }
    String cut = log.cutShort() == null ? "" : "; log cut short: " + log.cutShort();
    Path kept = ReplaySegments.snapshotOf(segment);
    if (Files.isRegularFile(kept)) {
      byte[] snap = Files.readAllBytes(kept);
      return replay(id, port -> restore(snap, port), log.events(), "the snapshot " + kept.getFileName() + cut);
    }
    // runs recorded before segments kept the snapshot as snapshot-<icount>.bin, named in the notes
    OptionalLong joinedAt = snapshotIcount(segment.resolveSibling("notes.jsonl"));
    Path dir = segment.getParent();
    if (joinedAt.isEmpty() || !Files.isRegularFile(dir.resolve("snapshot-" + joinedAt.getAsLong() + ".bin"))) {
      return replay(id, port -> Machine.boot(image, MachineConfig.builder().build(), port), log.events(), "boot" + cut);
    }
    Path snapshot = dir.resolve("snapshot-" + joinedAt.getAsLong() + ".bin");
    byte[] snap = Files.readAllBytes(snapshot);
    return replay(id, port -> restore(snap, port), log.events(), "the snapshot at icount " + joinedAt.getAsLong() + cut);
  }

  /** Makes the machine to replay on, attached to the replay port. */
  private interface Start {
    Machine machine(ReplayPort port) throws IOException, ElfException;
  }

  static Outcome replay(String id, Start start, List<Event> events, String from) {
    ListSource source = new ListSource(events);
    try {
      Machine machine = start.machine(new ReplayPort(source, OutputHandler.NONE));
      Replayer.Result r = new Replayer(machine, source).run(Long.MAX_VALUE);
      return new Outcome(id, true, "identical: " + r.eventsApplied() + " events, " + r.hashesVerified()
          + " state hashes verified; from " + from + "; reached icount " + r.icount() + " (" + r.status() + ")");
    } catch (ReplayDivergence e) {
      return new Outcome(id, false, "first difference at icount " + e.icount() + ": " + e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException | GuestFault e) {
      return new Outcome(id, false, "replay diverged: " + e.getMessage());
    } catch (ElfException | IOException e) {
      return new Outcome(id, false, "cannot start the machine: " + e.getMessage());
    }
  }

  private static Machine restore(byte[] snap, ReplayPort port) throws IOException {
    return NodeSnapshot.read(snap, port).machine();
  }

  /** The icount of the last snapshot this node received (its log starts there), if any. */
  static OptionalLong snapshotIcount(Path notes) throws IOException {
    if (!Files.isRegularFile(notes)) {
      return OptionalLong.empty();
    }
    OptionalLong last = OptionalLong.empty();
    for (String line : Files.readAllLines(notes, StandardCharsets.UTF_8)) {
      if (line.contains("snapshot-received")) {
        try {
          JsonNode n = JSON.readTree(line);
          last = OptionalLong.of(n.path("icount").asLong());
        } catch (IOException torn) {
          // The last line of a killed node may be torn; the ones before it are whole.
        }
      }
    }
    return last;
  }

  /**
   * The whole records of a log. A bad header or a log of another image throws; a bad record ends the
   * list there (SIGKILL leaves a torn tail) and is reported as {@code cutShort}.
   */
  static Log read(Path file, byte[] image) throws IOException {
    List<Event> events = new ArrayList<>();
    try (ReplayLogReader reader = ReplayLogReader.open(file)) {
      if (image != null && !reader.header().matchesImage(image)) {
        throw new ReplayLogException("recorded with another guest image (sha256 " + reader.header().imageHex() + ")", 0);
      }
      while (events.size() < EVENTS_MAX) {
        Event e;
        try {
          e = reader.take();
        } catch (ReplayLogException torn) {
          return new Log(events, torn.getMessage());
        }
        if (e == null) {
          break;
        }
        events.add(e);
      }
    }
    return new Log(events, null);
  }

  /** A list of events as the shared source of a port and a replayer. */
  private static final class ListSource implements EventSource {
    private final List<Event> events;
    private int next;

    ListSource(List<Event> events) {
      this.events = events;
    }

    @Override
    public Event peek() {
      return next < events.size() ? events.get(next) : null;
    }

    @Override
    public Event take() {
      return next < events.size() ? events.get(next++) : null;
    }
  }
}
