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
import dev.lockstep.ftvm.replay.ReplayLogFormat;
import dev.lockstep.ftvm.replay.ReplayLogHeader;
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
 * Re-executes one node's guest from its replay logs with the machine's {@link Replayer} (the one a
 * backup runs): the same inputs at the same icounts must give the same outputs and state hashes. A
 * node writes one segment per run ({@code nodes/<id>/replay.log}, then {@code replay-2.log}, ...; see
 * {@link ReplaySegments}); each is replayed on its own, from the snapshot kept next to it
 * ({@code replay.snapshot}, ...) when the run joined as backup, else from boot.
 *
 * <p>Three outcomes: identical (the replay matched up to the log's SHUTDOWN or HALT); incomplete (it
 * matched as far as the log goes, but the log ends early: a node killed with SIGKILL, or one that
 * stopped without a clean shutdown); different (a real mismatch, or a log that cannot be replayed).
 */
public final class NodeReplay {

  /** Events read from one log at most; a larger log is refused rather than exhausting the heap. */
  public static final int EVENTS_MAX = 20_000_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a segment's replay compares with its recording. */
  public enum Verdict { IDENTICAL, INCOMPLETE, DIFFERENT }

  /** What replaying one node showed. */
  public record Outcome(String node, Verdict verdict, String detail) {
    public boolean identical() {
      return verdict == Verdict.IDENTICAL;
    }

    /** Identical, or identical as far as an incomplete log goes. */
    public boolean matches() {
      return verdict != Verdict.DIFFERENT;
    }
  }

  /** A log's whole records, and why reading stopped early if it did. */
  public record Log(List<Event> events, String cutShort, ReplayLogHeader header) {
    /** The machine the log was recorded on when it starts from boot: its RAM size and disk capacity. */
    public MachineConfig bootConfig() {
      return MachineConfig.builder().ramBytes(header.ramBytes()).diskSectors(header.diskSectors()).build();
    }
  }

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
    long size = Files.size(segment);
    if (size < ReplayLogFormat.HEADER_BYTES) {
      return new Outcome(id, Verdict.INCOMPLETE, "incomplete: " + segment.getFileName() + " holds " + size
          + " bytes, less than a header: the node ended (was killed) before its log reached the disk");
    }
    Log log;
    try {
      log = read(segment, image);
    } catch (ReplayLogException e) {
      return new Outcome(id, Verdict.DIFFERENT, "unreadable replay log: " + e.getMessage());
    }
    Path kept = ReplaySegments.snapshotOf(segment);
    if (Files.isRegularFile(kept)) {
      byte[] snap = Files.readAllBytes(kept);
      return replay(id, port -> restore(snap, port), log, "the snapshot " + kept.getFileName());
    }
    // runs recorded before segments kept the snapshot as snapshot-<icount>.bin, named in the notes
    OptionalLong joinedAt = snapshotIcount(segment.resolveSibling("notes.jsonl"));
    Path dir = segment.getParent();
    if (joinedAt.isEmpty() || !Files.isRegularFile(dir.resolve("snapshot-" + joinedAt.getAsLong() + ".bin"))) {
      return replay(id, port -> Machine.boot(image, log.bootConfig(), port), log, "boot");
    }
    Path snapshot = dir.resolve("snapshot-" + joinedAt.getAsLong() + ".bin");
    byte[] snap = Files.readAllBytes(snapshot);
    return replay(id, port -> restore(snap, port), log, "the snapshot at icount " + joinedAt.getAsLong());
  }

  /** Makes the machine to replay on, attached to the replay port. */
  private interface Start {
    Machine machine(ReplayPort port) throws IOException, ElfException;
  }

  static Outcome replay(String id, Start start, Log log, String from) {
    EventSource source = EventSource.of(log.events());
    try {
      Machine machine = start.machine(new ReplayPort(source, OutputHandler.NONE));
      Replayer.Result r = new Replayer(machine, source).run(Long.MAX_VALUE);
      String checked = r.eventsApplied() + " events, " + r.hashesVerified() + " state hashes verified; from " + from;
      if (r.status() == Replayer.Status.HALTED || r.status() == Replayer.Status.SHUTDOWN) {
        return new Outcome(id, Verdict.IDENTICAL, "identical: " + checked + "; reached icount " + r.icount()
            + " (" + r.status() + ")");
      }
      String end = log.cutShort() != null ? "is cut short (" + log.cutShort() + ")"
          : "ends without SHUTDOWN or HALT";
      return new Outcome(id, Verdict.INCOMPLETE, "incomplete: identical up to icount " + r.icount() + ", where the log "
          + end + " (the node was killed or stopped without a clean shutdown); " + checked);
    } catch (ReplayDivergence e) {
      return new Outcome(id, Verdict.DIFFERENT, "first difference at icount " + e.icount() + ": " + e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException | GuestFault e) {
      return new Outcome(id, Verdict.DIFFERENT, "replay diverged: " + e.getMessage());
    } catch (ElfException | IOException e) {
      return new Outcome(id, Verdict.DIFFERENT, "cannot start the machine: " + e.getMessage());
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
  public static Log read(Path file, byte[] image) throws IOException {
    List<Event> events = new ArrayList<>();
    ReplayLogHeader header;
    try (ReplayLogReader reader = ReplayLogReader.open(file)) {
      header = reader.header();
      if (image != null && !reader.header().matchesImage(image)) {
        throw new ReplayLogException("recorded with another guest image (sha256 " + reader.header().imageHex() + ")", 0);
      }
      while (events.size() < EVENTS_MAX) {
        Event e;
        try {
          e = reader.take();
        } catch (ReplayLogException torn) {
          return new Log(events, torn.getMessage(), reader.header());
        }
        if (e == null) {
          break;
        }
        events.add(e);
      }
    }
    return new Log(events, null, header);
  }
}
