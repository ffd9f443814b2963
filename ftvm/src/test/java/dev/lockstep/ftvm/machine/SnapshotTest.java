package dev.lockstep.ftvm.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Snapshots carry every piece of device state, and the state hash sees every change. */
class SnapshotTest {
  /** Starts a disk read of sector 2, waits for it, then echoes every queued packet's length to the console. */
  private static final byte[] GUEST = GuestBuilder.asmTest("""
        li s0, 0x10004000
        la s1, buf
        li t0, 2
        sw t0, 0(s0)
        sw s1, 4(s0)
        li t0, 1
        sw t0, 8(s0)
        sw t0, 12(s0)            # read 1 sector
      1: lw t0, 16(s0)
        li t1, 1
        beq t0, t1, 1b           # busy
        sw zero, 20(s0)
        lw t2, 0(s1)
        li t3, 0x10000000
        sw t2, 0(t3)             # first byte read from disk
        li s2, 0x10003000
      2: lw t0, 12(s2)           # RX_COUNT
        beqz t0, 3f
        lw t1, 0(s2)             # RX_LEN
        addi t1, t1, '0'
        sw t1, 0(t3)
        sw s1, 4(s2)
        li t0, 1
        sw t0, 8(s2)
        j 2b
      3:
        j pass
        .data
        .align 4
        buf: .space 512
        .text
        """);

  private static byte[] snapshot(Machine m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.snapshot(new DataOutputStream(out));
    return out.toByteArray();
  }

  private static Machine restore(byte[] snap, TestPort port) throws IOException {
    return Machine.restore(new DataInputStream(new ByteArrayInputStream(snap)), port);
  }

  @Test
  void rxQueueAndPendingDiskRequestSurviveARestore() throws IOException, ElfException {
    TestPort p1 = new TestPort();
    Machine m = Machine.boot(GUEST, MachineConfig.builder().diskSectors(16).build(), p1);
    m.run(2000);
    byte[] request = m.pendingDiskRequest();
    assertNotNull(request, "the guest waits for its disk read");
    for (int len = 1; len <= 3; len++) {
      m.deliver(new Event(m.icount(), EventKind.PACKET, new byte[len]));
    }
    byte[] snap = snapshot(m);
    TestPort p2 = new TestPort();
    Machine r = restore(snap, p2);
    assertEquals(m.icount(), r.icount());
    assertEquals(m.stateHash(), r.stateHash());
    assertArrayEquals(request, r.pendingDiskRequest());

    byte[] done = new byte[513];
    done[0] = 2;
    done[1] = 'D';
    for (Machine x : new Machine[] {m, r}) {
      x.deliver(new Event(x.icount(), EventKind.DISK_DONE, done));
      assertEquals(RunStatus.HALTED, x.run(100_000));
      assertEquals(0, x.exitCode());
    }
    assertEquals("D123", p1.console.toString());
    assertEquals("D123", p2.console.toString());
    assertEquals(m.stateHash(), r.stateHash());
    assertEquals(m.icount(), r.icount());
  }

  @Test
  void stateHashSeesMemoryRegistersAndDevices() {
    Machine a = MachineTestSupport.boot(GUEST, new TestPort());
    Machine b = MachineTestSupport.boot(GUEST, new TestPort());
    assertEquals(a.stateHash(), b.stateHash());
    a.run(1000);
    b.run(1000);
    assertEquals(a.stateHash(), b.stateHash());
    long before = a.stateHash();
    a.deliver(new Event(a.icount(), EventKind.PACKET, new byte[] {1}));
    assertNotEquals(before, a.stateHash(), "a queued packet changes the hash");
    b.deliver(new Event(b.icount(), EventKind.PACKET, new byte[] {2}));
    assertNotEquals(a.stateHash(), b.stateHash(), "packet contents are hashed");
  }

  @Test
  void corruptSnapshotIsRejected() throws IOException {
    Machine m = MachineTestSupport.boot(GUEST, new TestPort());
    m.run(500);
    byte[] snap = snapshot(m);
    byte[] bad = snap.clone();
    bad[bad.length - 20] ^= 1;
    IOException e = assertThrows(IOException.class, () -> restore(bad, new TestPort()));
    assertEquals(true, e.getMessage().contains("corrupt") || e.getMessage().contains("snapshot"), e.getMessage());
    assertThrows(IOException.class, () -> restore(Arrays.copyOf(snap, snap.length / 2), new TestPort()));
    byte[] magic = snap.clone();
    magic[0] = 0;
    assertThrows(IOException.class, () -> restore(magic, new TestPort()));
  }
}
