package dev.lockstep.harness.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.ftvm.guests.Guests;
import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.GuestFault;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.machine.MachineConfig;
import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import dev.lockstep.ftvm.replay.EventSource;
import dev.lockstep.ftvm.replay.OutputHandler;
import dev.lockstep.ftvm.replay.ReplayDivergence;
import dev.lockstep.ftvm.replay.ReplayPort;
import dev.lockstep.ftvm.replay.Replayer;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Re-executes one node's guest from its replay log with the machine's {@link Replayer}: the same inputs
 * at the same icounts must give the same outputs and state hashes. A node that joined from a snapshot
 * at icount S (its notes say so) is replayed from boot through another node's log up to S and then its
 * own. A log cut short by SIGKILL is replayed up to its last whole event.
 */
public final class NodeReplay {

  /** Events read from one log at most; a larger log is refused rather than exhausting the heap. */
  public static final int EVENTS_MAX = 20_000_000;
  /** Payload bytes of one event at most (a packet is at most 8 KiB; a disk transfer 4 KiB). */
  public static final int PAYLOAD_BYTES_MAX = 1 << 16;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What replaying one node showed. */
  public record Outcome(String node, boolean identical, String detail) {}

  private NodeReplay() {}

  /** Replays every node of a run directory ({@code nodes/<id>/replay.log}) booting guest {@code guest}. */
  public static List<Outcome> replayAll(Path runDir, String guest) throws IOException {
    Path nodes = runDir.resolve("nodes");
    List<String> ids = new ArrayList<>();
    if (Files.isDirectory(nodes)) {
      try (var list = Files.list(nodes)) {
        list.filter(p -> Files.isRegularFile(p.resolve("replay.log"))).map(p -> p.getFileName().toString())
            .sorted().forEach(ids::add);
      }
    }
    byte[] image = Guests.load(guest);
    List<Outcome> outcomes = new ArrayList<>();
    for (String id : ids) {
      outcomes.add(replayNode(nodes, id, ids, image));
    }
    return outcomes;
  }

  private static Outcome replayNode(Path nodes, String id, List<String> ids, byte[] image) throws IOException {
    List<Event> own = read(nodes.resolve(id).resolve("replay.log"));
    OptionalLong joinedAt = snapshotIcount(nodes.resolve(id).resolve("notes.jsonl"));
    List<Event> events = new ArrayList<>();
    String from = "boot";
    if (joinedAt.isPresent()) {
      String donor = donor(nodes, id, ids);
      if (donor == null) {
        return new Outcome(id, false, "not replayable: joined from a snapshot at icount " + joinedAt.getAsLong()
            + " and no node's log from boot covers it");
      }
      for (Event e : read(nodes.resolve(donor).resolve("replay.log"))) {
        if (e.icount() < joinedAt.getAsLong()) {
          events.add(e);
        }
      }
      from = "boot via " + donor + "'s log up to the snapshot at icount " + joinedAt.getAsLong() + ",";
    }
    events.addAll(own);
    return replay(id, image, events, from + " own log " + own.size() + " events");
  }

  /** Another node whose own log starts at boot (it never received a snapshot). */
  private static String donor(Path nodes, String id, List<String> ids) throws IOException {
    for (String other : ids) {
      if (!other.equals(id) && snapshotIcount(nodes.resolve(other).resolve("notes.jsonl")).isEmpty()) {
        return other;
      }
    }
    return null;
  }

  static Outcome replay(String id, byte[] image, List<Event> events, String from) {
    ListSource source = new ListSource(events);
    try {
      Machine machine = Machine.boot(image, MachineConfig.builder().build(), new ReplayPort(source, OutputHandler.NONE));
      Replayer.Result r = new Replayer(machine, source).run(Long.MAX_VALUE);
      return new Outcome(id, true, "identical: " + r.eventsApplied() + " events, " + r.hashesVerified()
          + " state hashes verified; from " + from + "; reached icount " + r.icount() + " (" + r.status() + ")");
    } catch (ReplayDivergence e) {
      return new Outcome(id, false, "first difference at icount " + e.icount() + ": " + e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException | GuestFault e) {
      return new Outcome(id, false, "replay diverged: " + e.getMessage());
    } catch (ElfException e) {
      return new Outcome(id, false, "cannot boot the guest: " + e.getMessage());
    }
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

  /** The node's raw log: (u64 icount, u8 kind, u32 length, payload)*, a torn last event ignored. */
  static List<Event> read(Path log) throws IOException {
    List<Event> events = new ArrayList<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(log), 1 << 16);
        DataInputStream data = new DataInputStream(in)) {
      while (events.size() < EVENTS_MAX) {
        long icount;
        try {
          icount = data.readLong();
        } catch (EOFException end) {
          break;
        }
        try {
          int kind = data.readUnsignedByte();
          int length = data.readInt();
          if (length < 0 || length > PAYLOAD_BYTES_MAX) {
            throw new IOException(log + ": event " + events.size() + " has length " + length);
          }
          byte[] payload = data.readNBytes(length);
          if (payload.length < length) {
            break;
          }
          events.add(new Event(icount, EventKind.fromCode(kind), payload));
        } catch (EOFException torn) {
          break;
        }
      }
    }
    return events;
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
