package dev.lockstep.ftvm.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.ftvm.node.BlockDisk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimDiskTest {
  private static final long SECOND = 1_000_000_000L;
  @TempDir Path dir;

  private static byte[] request(int op, int sector, int count, byte fill) {
    int data = op == BlockDisk.OP_WRITE ? count * BlockDisk.SECTOR_BYTES : 0;
    ByteBuffer b = ByteBuffer.allocate(9 + data).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) op).putInt(sector).putInt(count);
    for (int i = 0; i < data; i++) {
      b.put(fill);
    }
    return b.array();
  }

  @Test
  void completionsArriveAfterTheLatencyAndACrashedProcessNeverHearsOfItsRequest() {
    Sim sim = new Sim(3);
    SimDisk disk = new SimDisk(sim, 16, 100_000, 100_000);
    SimProcess p = new SimProcess(sim, "p");
    List<String> heard = new ArrayList<>();
    disk.on(p).submit(request(BlockDisk.OP_WRITE, 2, 1, (byte) 7), done -> heard.add("write@" + sim.now()));
    sim.runUntil(50_000);
    assertEquals(List.of(), heard, "not before the latency");
    sim.runUntil(200_000);
    assertEquals(List.of("write@100000"), heard);

    disk.on(p).submit(request(BlockDisk.OP_READ, 2, 1, (byte) 0), done -> heard.add("read " + done[0] + " " + done[1]));
    p.crash();
    sim.runUntil(SECOND);
    assertEquals(1, heard.size(), "a crashed process hears nothing");

    SimProcess again = new SimProcess(sim, "p");
    disk.on(again).submit(request(BlockDisk.OP_READ, 2, 1, (byte) 0), done -> heard.add("read " + done[0] + " " + done[1]));
    sim.runUntil(2 * SECOND);
    assertEquals("read " + BlockDisk.STATUS_DONE + " 7", heard.get(1), "the disk outlives the process");
    disk.on(again).submit(request(BlockDisk.OP_READ, 15, 2, (byte) 0), done -> heard.add("past the end " + done.length));
    sim.runUntil(3 * SECOND);
    assertEquals("past the end 1", heard.get(2));
  }

  /** The chaos guest writes, reads back and compares disk sectors; the backup keeps its own disk current. */
  @Test
  void localDisksStayIdenticalThroughAFailoverAndARejoin() throws Exception {
    Sim sim = new Sim(5);
    SimCluster c = new SimCluster(sim, SimClusterSettings.defaults("chaos", dir, Set.of())
        .withDisk(SimClusterSettings.Disk.of(SimClusterSettings.DiskMode.LOCAL)));
    runUntil(sim, () -> "backup".equals(c.node("n2").role()), 10 * SECOND);
    runUntil(sim, () -> c.disk("n1").requests() > 60, 20 * SECOND);
    c.kill("n1");
    runUntil(sim, () -> "primary".equals(c.node("n2").role()), 30 * SECOND);
    c.restart("n1");
    runUntil(sim, () -> "backup".equals(c.node("n1").role()), 40 * SECOND);
    runUntil(sim, () -> c.node("n2").exitCode() >= 0 && c.node("n1").exitCode() >= 0, 100 * SECOND);
    assertEquals(0, guestExitCode("n2"), "the guest read back every sector it wrote");
    assertTrue(c.disk("n2").requests() > 60, "the new primary used its disk: " + c.disk("n2").requests());
    byte[] primary = c.disk("n2").content();
    assertFalse(Arrays.equals(primary, new byte[primary.length]), "the guest wrote to the disk");
    assertArrayEquals(primary, c.disk("n1").content(), "the rejoined backup's disk is the primary's");
    c.stop();
  }

  @Test
  void aSharedDiskServesTheNewPrimaryAfterAFailover() throws Exception {
    Sim sim = new Sim(6);
    SimCluster c = new SimCluster(sim, SimClusterSettings.defaults("chaos", dir, Set.of())
        .withDisk(SimClusterSettings.Disk.of(SimClusterSettings.DiskMode.SHARED)));
    runUntil(sim, () -> "backup".equals(c.node("n2").role()), 10 * SECOND);
    runUntil(sim, () -> c.disk("n1").requests() > 60, 20 * SECOND);
    c.kill("n1");
    runUntil(sim, () -> c.node("n2").exitCode() >= 0, 100 * SECOND);
    assertEquals(0, guestExitCode("n2"), "the guest read back every sector it wrote");
    c.stop();
  }

  private static void runUntil(Sim sim, java.util.function.BooleanSupplier done, long limitNanos) {
    while (!done.getAsBoolean()) {
      assertTrue(sim.now() < limitNanos, "not reached by simulated time " + sim.now());
      sim.runUntil(sim.now() + 10_000_000);
    }
  }

  private int guestExitCode(String node) throws Exception {
    ObjectMapper json = new ObjectMapper();
    int code = -1;
    for (String line : Files.readAllLines(dir.resolve("nodes").resolve(node).resolve("notes.jsonl"))) {
      JsonNode n = json.readTree(line);
      if ("guest-halted".equals(n.path("type").asText())) {
        code = n.path("exitCode").asInt();
      }
    }
    return code;
  }
}
