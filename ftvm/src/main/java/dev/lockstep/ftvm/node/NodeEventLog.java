package dev.lockstep.ftvm.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;

/**
 * The node's event log ({@code events.jsonl}, one JSON object a line): outputs released or
 * suppressed, state hashes, role changes and go-live attempts and results, in the schema the checkers
 * read. Thread-safe; every line is flushed so a node killed with SIGKILL leaves every line it wrote
 * whole except perhaps the last.
 */
public final class NodeEventLog implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String node;
  private final BufferedWriter out;
  private final LongSupplier clockNanos;

  /**
   * @param clockNanos the wall time in ns since the Unix epoch, so logs of different nodes line up
   */
  public NodeEventLog(Path file, String node, LongSupplier clockNanos) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    this.out =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    this.node = node;
    this.clockNanos = clockNanos;
  }

  /** A guest output left the node ({@code released}) or was suppressed on a backup. */
  public void output(long epoch, byte[] packet, boolean acked, boolean released) {
    Map<String, Object> m = base("output");
    m.put("epoch", epoch);
    m.put("outSeq", u32(packet, 8));
    m.put("clientId", u32(packet, 0));
    m.put("reqSeq", u32(packet, 4));
    m.put("bytesHash", bytesHash(packet));
    m.put("acked", acked);
    m.put("released", released);
    write(m);
  }

  public void stateHash(long icount, long hash) {
    Map<String, Object> m = base("state-hash");
    m.put("icount", icount);
    m.put("hash", Long.toHexString(hash));
    write(m);
  }

  public void role(long epoch, String role) {
    Map<String, Object> m = base("role");
    m.put("epoch", epoch);
    m.put("role", role);
    write(m);
  }

  public void goLiveAttempt(long observedEpoch) {
    Map<String, Object> m = base("go-live-attempt");
    m.put("epoch", observedEpoch);
    write(m);
  }

  public void goLiveResult(long epoch, boolean won, String detail) {
    Map<String, Object> m = base("go-live-result");
    m.put("epoch", epoch);
    m.put("won", won);
    m.put("detail", detail);
    write(m);
  }

  /** Anything else worth a line: snapshot pauses, shutdowns, halts. */
  public void note(String type, Map<String, Object> fields) {
    Map<String, Object> m = base(type);
    m.putAll(fields);
    write(m);
  }

  private Map<String, Object> base(String type) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("node", node);
    m.put("time", clockNanos.getAsLong());
    return m;
  }

  private synchronized void write(Map<String, Object> m) {
    try {
      out.write(JSON.writeValueAsString(m));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("event log of node " + node, e);
    }
  }

  static long u32(byte[] p, int off) {
    if (p.length < off + 4) {
      return -1;
    }
    return (p[off] & 0xFFL) | (p[off + 1] & 0xFFL) << 8 | (p[off + 2] & 0xFFL) << 16 | (p[off + 3] & 0xFFL) << 24;
  }

  static String bytesHash(byte[] p) {
    CRC32C crc = new CRC32C();
    crc.update(p);
    return Long.toHexString(crc.getValue()) + ":" + p.length;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
