package dev.lockstep.ftvm.machine;

import static dev.lockstep.ftvm.machine.GuestBuilder.asmTest;
import static dev.lockstep.ftvm.machine.MachineTestSupport.assertPasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.replay.Event;
import dev.lockstep.ftvm.replay.EventKind;
import org.junit.jupiter.api.Test;

/** Exceptions through mtvec, mret, CSRs, counters, interrupts and wfi. */
class TrapAndCsrTest {

  /** A handler that records mcause/mepc/mtval in s2..s4 and returns past the trapping instruction. */
  private static final String HANDLER_SETUP = """
        la t0, handler
        csrw mtvec, t0
        j 10f
      .align 2
      handler:
        csrr s2, mcause
        csrr s3, mepc
        csrr s4, mtval
        addi s5, s5, 1
        addi t5, s3, 4
        csrw mepc, t5
        mret
      10:
      """;

  @Test
  void exceptionsSetCauseEpcAndTval() {
    assertPasses(asmTest(HANDLER_SETUP + """
        1: ecall
        TEST_EQ 1, s2, 11
        la t0, 1b
        li s11, 2
        bne s3, t0, fail
        TEST_EQ 3, s4, 0
        2: ebreak
        TEST_EQ 4, s2, 3
        la t0, 2b
        li s11, 5
        bne s4, t0, fail
        3: .word 0xffffffff
        TEST_EQ 6, s2, 2
        TEST_EQ 7, s4, 0xffffffff
        .word 0x00000000
        TEST_EQ 8, s2, 2
        la t0, data
        lw t1, 1(t0)
        TEST_EQ 9, s2, 4
        addi t0, t0, 1
        li s11, 10
        bne s4, t0, fail
        la t0, data
        sh t1, 1(t0)
        TEST_EQ 11, s2, 6
        li t0, 0x40000000
        lw t1, 0(t0)
        TEST_EQ 12, s2, 5
        TEST_EQ 13, s4, 0x40000000
        sw t1, 0(t0)
        TEST_EQ 14, s2, 7
        li t0, 0x10000100
        sw t1, 0(t0)             # IRQ_PENDING is read-only
        TEST_EQ 15, s2, 7
        TEST_EQ 16, s5, 9
        j pass
        .data
        data: .word 0, 0
        .text
        """));
  }

  @Test
  void misalignedJumpTraps() {
    assertPasses(asmTest(HANDLER_SETUP + """
        la t0, 1f
        addi t0, t0, 2
        4: jalr ra, t0, 0
        TEST_EQ 1, s2, 0
        addi t0, t0, 0
        li s11, 2
        bne s4, t0, fail
        la t1, 4b
        li s11, 3
        bne s3, t1, fail        # mepc is the jump, not the target
        li s11, 4
        la t1, 4b
        addi t1, t1, 4
        bne ra, zero, 5f        # ra must not have been written by the faulting jalr
        j 6f
        5: j fail
        1: nop
        nop
        6:
        """));
  }

  @Test
  void csrReadWriteSetClear() {
    assertPasses(asmTest(HANDLER_SETUP + """
        csrr t2, misa
        TEST_EQ 1, t2, 0x40001100
        csrr t2, mhartid
        TEST_EQ 2, t2, 0
        li t0, 0x0f0
        csrw mscratch, t0
        csrrs t2, mscratch, 0x00f
        TEST_EQ 3, t2, 0x0f0
        csrrci t2, mscratch, 0x3
        TEST_EQ 4, t2, 0x0ff
        csrr t2, mscratch
        TEST_EQ 5, t2, 0x0fc
        csrrwi t2, mscratch, 7
        TEST_EQ 6, t2, 0x0fc
        csrr t2, mscratch
        TEST_EQ 7, t2, 7
        csrr t2, mstatus
        TEST_EQ 8, t2, 0x1800
        li s5, 0
        csrw mhartid, t0         # read-only: illegal
        TEST_EQ 9, s2, 2
        csrr t2, 0x7c0           # unimplemented: illegal
        TEST_EQ 10, s2, 2
        csrw cycle, t0           # user counters are read-only
        TEST_EQ 11, s2, 2
        TEST_EQ 12, s5, 3
        csrs mhartid, zero       # csrrs with x0 does not write: legal
        TEST_EQ 13, s5, 3
        """));
  }

  @Test
  void countersAdvancePerRetiredInstruction() {
    assertPasses(asmTest("""
        csrr t0, minstret
        nop
        csrr t1, minstret
        sub t2, t1, t0
        TEST_EQ 1, t2, 2
        csrr t0, mcycle
        csrr t1, cycle
        sub t2, t1, t0
        TEST_EQ 2, t2, 1
        csrr t0, instret
        csrr t1, instreth
        TEST_EQ 3, t1, 0
        li t0, 1000
        csrw minstret, t0
        csrr t1, minstret
        TEST_EQ 4, t1, 1000
        li t0, 5
        csrw minstreth, t0
        csrr t1, minstreth
        TEST_EQ 5, t1, 5
        csrr t0, time
        csrr t1, timeh
        TEST_EQ 6, t1, 0
        li s11, 7
        beqz t0, fail
        """));
  }

  @Test
  void timerInterruptIsTakenWhenEnabledAndWfiIdles() {
    byte[] elf = asmTest("""
        la t0, handler
        csrw mtvec, t0
        li t0, 0x02004000
        li t1, 5000
        sw t1, 0(t0)             # mtimecmp = 5000
        sw zero, 4(t0)
        li t0, 0x80
        csrw mie, t0             # MTIE
        csrsi mstatus, 8         # MIE
        wfi
        li s11, 1
        beqz s6, fail            # the handler ran
        TEST_EQ 2, s7, 0x80000007
        j pass
      .align 2
      handler:
        csrr s7, mcause
        li s6, 1
        li t0, 0x02004004
        li t1, -1
        sw t1, 0(t0)             # push mtimecmp away: clears MTIP
        mret
        """);
    Machine m = MachineTestSupport.boot(elf, new TestPort());
    assertEquals(RunStatus.IDLE, m.run(1_000_000));
    assertEquals(5000, m.mtimecmp());
    long idleAt = m.icount();
    m.deliver(Event.of(idleAt, EventKind.TIMER));
    assertTrue(m.timerPending());
    assertEquals(RunStatus.HALTED, m.run(1_000_000));
    assertEquals(0, m.exitCode(), "test " + m.exitCode());
    assertTrue(!m.timerPending());
  }

  @Test
  void disabledInterruptStaysPendingButWakesWfi() {
    byte[] elf = asmTest("""
        li t0, 0x80
        csrw mie, t0             # MTIE but not mstatus.MIE
        wfi
        csrr t2, mip
        TEST_EQ 1, t2, 0x80
        wfi                      # pending and enabled in mie: falls through
        """);
    Machine m = MachineTestSupport.boot(elf, new TestPort());
    assertEquals(RunStatus.IDLE, m.run(1_000));
    m.deliver(Event.of(m.icount(), EventKind.TIMER));
    assertEquals(RunStatus.HALTED, m.run(1_000));
    assertEquals(0, m.exitCode(), "test " + m.exitCode());
  }

  @Test
  void externalInterruptFromNicIsVectored() {
    byte[] elf = asmTest("""
        la t0, vectors
        ori t0, t0, 1
        csrw mtvec, t0           # vectored mode
        li t0, 0x10000104
        li t1, 1
        sw t1, 0(t0)             # IRQ_ENABLE: NIC rx
        li t0, 0x800
        csrw mie, t0             # MEIE
        csrsi mstatus, 8
        1: beqz s6, 1b
        TEST_EQ 1, s7, 0x8000000b
        TEST_EQ 2, s8, 3
        la t0, buf
        lw t2, 0(t0)
        TEST_EQ 3, t2, 0x00636261  # "abc"
        j pass
      .align 6
      vectors:
        .rept 11
        j fail
        .endr
        j external
      external:
        csrr s7, mcause
        li t0, 0x10003000
        lw s8, 0(t0)             # RX_LEN
        la t1, buf
        sw t1, 4(t0)             # RX_ADDR
        li t1, 1
        sw t1, 8(t0)             # RX_CMD: copy and pop, clears the line
        li s6, 1
        mret
        .data
        buf: .word 0, 0
        .text
        """);
    Machine m = MachineTestSupport.boot(elf, new TestPort());
    assertEquals(RunStatus.LIMIT, m.run(200));
    m.deliver(new Event(m.icount(), EventKind.PACKET, "abc".getBytes()));
    assertEquals(RunStatus.HALTED, m.run(10_000));
    assertEquals(0, m.exitCode(), "test " + m.exitCode());
  }

  @Test
  void illegalInstructionWithoutHandlerIsAGuestFault() {
    byte[] elf = asmTest("""
        nop
        .word 0x0000100f | (7 << 12)
        """);
    Machine m = MachineTestSupport.boot(elf, new TestPort());
    GuestFault f = assertThrows(GuestFault.class, () -> m.run(1000));
    assertEquals(2, f.cause());
    assertEquals(1, f.icount());
    assertTrue(f.getMessage().contains("illegal instruction 0x0000700f"), f.getMessage());
    assertTrue(f.getMessage().contains("no trap handler"), f.getMessage());
    assertThrows(GuestFault.class, () -> m.run(1000), "a faulted machine stays faulted");
  }

  @Test
  void trapLoopIsAGuestFault() {
    byte[] elf = asmTest("""
        la t0, handler
        csrw mtvec, t0
        ecall
      handler:
        ecall
        """);
    Machine m = MachineTestSupport.boot(elf, new TestPort());
    GuestFault f = assertThrows(GuestFault.class, () -> m.run(1000));
    assertTrue(f.getMessage().contains("traps in a row"), f.getMessage());
  }

  @Test
  void deliverRejectsWrongIcountAndSyncKinds() {
    Machine m = MachineTestSupport.boot(asmTest("nop"), new TestPort());
    assertThrows(IllegalArgumentException.class, () -> m.deliver(Event.of(5, EventKind.TIMER)));
    assertThrows(IllegalArgumentException.class, () -> m.deliver(Event.ofInt(0, EventKind.RNG, 1)));
    assertThrows(IllegalArgumentException.class, () -> m.deliver(new Event(0, EventKind.DISK_DONE, new byte[] {2})));
  }
}
