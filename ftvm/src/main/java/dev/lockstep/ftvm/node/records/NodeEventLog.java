package dev.lockstep.ftvm.node.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.histories.events.EventLogFullException;
import dev.lockstep.histories.events.NodeEvent;
import dev.lockstep.histories.events.NodeEventWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;

/**
 * The node's logs for checking a run afterwards. {@code events.jsonl} holds the records the checkers
 * read (histories' {@link NodeEvent}): outputs released, state hashes, role changes, go-live attempts
 * and results, divergences a backup found. {@code notes.jsonl} holds what only people and benchmarks
 * read: outputs a backup suppressed, snapshot pauses, lost peers, halts. Thread-safe; every line reaches the operating
 * system before a method returns, so a node killed with SIGKILL loses nothing it logged, except
 * suppressed-output notes: a backup writes one per output, so they reach the operating system with
 * the next other note, once the buffer fills, or at most {@link #SUPPRESSED_FLUSH_NANOS} after the
 * first one waiting (checked at the next one). They matter only for a backup that lives on: one that
 * goes live or halts writes a note first. After {@link #close} (a node that is ending) further
 * records are dropped: threads still running then must not fail on a closed file.
 */
public final class NodeEventLog implements AutoCloseable {

  /** File name of the notes next to {@code events.jsonl}. */
  public static final String NOTES_JSONL = "notes.jsonl";
  /** Longest time a suppressed-output note waits in the buffer before the next one flushes it. */
  public static final long SUPPRESSED_FLUSH_NANOS = 100_000_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String node;
  private final NodeEventWriter events;
  /** Outputs released and not yet written, in release order. */
  private final List<NodeEvent.Output> waiting = new ArrayList<>();
  private final BufferedWriter notes;
  private final LongSupplier timeNanos;
  private final String nodeJson;
  private long unflushedSince = -1;
  private volatile boolean closed;
  private volatile boolean full;
  private volatile Consumer<String> onFull = reason -> { };

  /**
   * @param timeNanos the time stamp of a record: ns since the run began (all nodes share the origin)
   */
  public NodeEventLog(Path eventsFile, String node, LongSupplier timeNanos) throws IOException {
    this(eventsFile, node, timeNanos, NodeEventWriter.FILE_BYTES_MAX_DEFAULT);
  }

  /** As above, with {@code events.jsonl} bounded to {@code eventsBytesMax} bytes. */
  NodeEventLog(Path eventsFile, String node, LongSupplier timeNanos, long eventsBytesMax) throws IOException {
    this.events = NodeEventWriter.open(eventsFile, eventsBytesMax);
    Path notesFile = eventsFile.toAbsolutePath().resolveSibling(NOTES_JSONL);
    this.notes =
        Files.newBufferedWriter(notesFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    this.node = node;
    this.timeNanos = timeNanos;
    this.nodeJson = JSON.writeValueAsString(node);
  }

  /**
   * A guest output left the node; {@code acked}: a backup had acked its log entry; {@code release}: the
   * gate's word on it. The record waits for {@link #flushReleased} (the end of the gate's release
   * burst), so a burst costs one write.
   */
  public void released(long epoch, byte[] packet, boolean acked, NodeEvent.Release release) {
    NodeEvent.Output o = new NodeEvent.Output(node, epoch, u32(packet, 8), u32(packet, 0), u32(packet, 4),
        bytesHash(packet), timeNanos.getAsLong(), acked, release);
    synchronized (waiting) {
      waiting.add(o);
    }
  }

  /**
   * Writes the outputs released since the last call, in one write. Called once the outputs of a
   * release burst have been handed to the client port: a SIGKILL in between loses the records of
   * outputs that did leave (a missed duplicate at worst).
   */
  public void flushReleased() {
    synchronized (waiting) {
      try {
        append(waiting);
      } finally {
        waiting.clear();
      }
    }
  }

  /**
   * Called once, with the reason, when {@code events.jsonl} reaches its size bound; from then on
   * records are dropped (notes are still written).
   */
  public void onFull(Consumer<String> action) {
    onFull = action;
  }

  /** Writes the events in one write; after {@link #close} or once the file is full they are dropped. */
  private void append(List<? extends NodeEvent> records) {
    if (records.isEmpty() || closed || full) {
      return;
    }
    try {
      events.writeAll(records);
    } catch (EventLogFullException ex) {
      full = true;
      onFull.accept(ex.getMessage());
    } catch (IllegalStateException late) {
      if (!closed) {
        throw late;
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("event log of node " + node, ex);
    }
  }

  /** A backup's output, equal to the primary's logged one, that it did not send. */
  public void suppressed(long epoch, byte[] packet) {
    long time = timeNanos.getAsLong();
    // the same fields as note() would write, without a map and a serializer per output
    String line = "{\"type\":\"suppressed-output\",\"node\":" + nodeJson + ",\"time\":" + time
        + ",\"epoch\":" + epoch + ",\"outSeq\":" + u32(packet, 8) + ",\"clientId\":" + u32(packet, 0)
        + ",\"reqSeq\":" + u32(packet, 4) + ",\"bytesHash\":\"" + bytesHash(packet) + "\",\"acked\":false}";
    synchronized (notes) {
      if (closed) {
        return;
      }
      try {
        notes.write(line);
        notes.newLine();
        if (unflushedSince < 0) {
          unflushedSince = time;
        } else if (time - unflushedSince >= SUPPRESSED_FLUSH_NANOS) {
          flushNotes();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("notes of node " + node, e);
      }
    }
  }

  /**
   * The machine's state hash at {@code icount} on the history of {@code epoch}: a primary's own
   * epoch, or for a backup ({@code role} {@link NodeEvent.RoleChange#BACKUP}) the epoch of the
   * primary whose log it replays.
   */
  public void stateHash(long epoch, String role, long icount, long hash) {
    write(new NodeEvent.StateHash(node, epoch, role, icount, Long.toHexString(hash)));
  }

  /** {@code role}: one of {@link NodeEvent.RoleChange#PRIMARY}, {@code BACKUP}, {@code HALTED}. */
  public void role(long epoch, String role) {
    write(new NodeEvent.RoleChange(node, epoch, role, timeNanos.getAsLong()));
  }

  /** Before a test-and-set for {@code observedEpoch + 1}. */
  public void goLiveAttempt(long observedEpoch) {
    write(new NodeEvent.GoLive(node, observedEpoch + 1, NodeEvent.GoLive.ATTEMPT, timeNanos.getAsLong()));
  }

  public void goLiveResult(long epoch, boolean won, String detail) {
    write(new NodeEvent.GoLive(node, epoch, won ? NodeEvent.GoLive.WON : NodeEvent.GoLive.LOST,
        timeNanos.getAsLong()));
    note("go-live", Map.of("epoch", epoch, "won", won, "detail", detail));
  }

  /** A backup that won go-live caught up: what it had received and acked, and what it executed of it. */
  public void caughtUp(long epoch, long receivedSeq, long ackedSeq, long executedSeq, long discarded, long icount) {
    write(new NodeEvent.CaughtUp(node, epoch, receivedSeq, ackedSeq, executedSeq, discarded, icount,
        timeNanos.getAsLong()));
  }

  /** The backup's lockstep check failed at {@code icount} replaying {@code epoch}'s log: the checkers count it. */
  public void divergence(long epoch, long icount, String detail) {
    write(new NodeEvent.Divergence(node, epoch, icount, detail, timeNanos.getAsLong()));
  }

  /** Anything else worth a line in the notes: snapshot pauses, shutdowns, halts. */
  public void note(String type, Map<String, Object> fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("node", node);
    m.put("time", timeNanos.getAsLong());
    // fields in key order: a Map.of iterates in an order that changes from one JVM to the next
    m.putAll(new java.util.TreeMap<>(fields));
    synchronized (notes) {
      if (closed) {
        return;
      }
      try {
        notes.write(JSON.writeValueAsString(m));
        notes.newLine();
        flushNotes();
      } catch (IOException e) {
        throw new UncheckedIOException("notes of node " + node, e);
      }
    }
  }

  private void flushNotes() throws IOException {
    notes.flush();
    unflushedSince = -1;
  }

  /** Writes {@code e} at once, after the released outputs still waiting. */
  private void write(NodeEvent e) {
    synchronized (waiting) {
      flushReleased();
      append(List.of(e));
    }
  }

  static long u32(byte[] p, int off) {
    if (p.length < off + 4) {
      return 0;
    }
    return (p[off] & 0xFFL) | (p[off + 1] & 0xFFL) << 8 | (p[off + 2] & 0xFFL) << 16 | (p[off + 3] & 0xFFL) << 24;
  }

  /** CRC32C of the bytes (8 hex digits) and the length's low 16 bits (4 hex digits). */
  static String bytesHash(byte[] p) {
    CRC32C crc = new CRC32C();
    crc.update(p);
    long v = crc.getValue() << 16 | (p.length & 0xFFFF);
    String hex = Long.toHexString(v);
    return "000000000000".substring(hex.length()) + hex;
  }

  @Override
  public void close() throws IOException {
    flushReleased();
    synchronized (notes) {
      if (closed) {
        return;
      }
      closed = true;
      notes.close();
    }
    events.close();
  }
}
