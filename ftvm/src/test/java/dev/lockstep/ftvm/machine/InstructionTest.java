package dev.lockstep.ftvm.machine;

import static dev.lockstep.ftvm.machine.GuestBuilder.asmTest;
import static dev.lockstep.ftvm.machine.MachineTestSupport.assertPasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RV32I and M instructions with their edge cases; each TEST_* exits with its number on a mismatch. */
class InstructionTest {

  @Test
  void arithmeticAndLogic() {
    assertPasses(asmTest("""
        TEST_RR 1, add, 0, -1, 1
        TEST_RR 2, add, 0x80000000, 0x7fffffff, 1
        TEST_RR 3, sub, 0x7fffffff, 0x80000000, 1
        TEST_RR 4, sub, -2, 1, 3
        TEST_RR 5, xor, 0xf0f0f0f0, 0xff00ff00, 0x0ff00ff0
        TEST_RR 6, or, 0xfff0fff0, 0xff00ff00, 0x0ff00ff0
        TEST_RR 7, and, 0x0f000f00, 0xff00ff00, 0x0ff00ff0
        TEST_RR 8, slt, 1, -1, 0
        TEST_RR 9, slt, 0, 0, -1
        TEST_RR 10, sltu, 0, -1, 0
        TEST_RR 11, sltu, 1, 0, -1
        TEST_RI 12, addi, 0x7ffff800, 0x7fffffff, -2047
        TEST_RI 13, addi, -1, 0, -1
        TEST_RI 14, slti, 1, -5, -4
        TEST_RI 15, sltiu, 1, 5, -1
        TEST_RI 16, sltiu, 0, -1, 5
        TEST_RI 17, xori, 0xff00f00f, 0x00ff0ff0, -1
        TEST_RI 18, ori, 0x00ff0fff, 0x00ff0f00, 0x0ff
        TEST_RI 19, andi, 0x00ff0f00, 0x00ff0f00, -256
        lui t2, 0xfffff
        TEST_EQ 20, t2, 0xfffff000
        1: auipc t2, 0
        la t3, 1b
        li s11, 21
        bne t2, t3, fail
        """));
  }

  @Test
  void shiftsUseOnlyTheLowFiveBits() {
    assertPasses(asmTest("""
        TEST_RR 1, sll, 2, 1, 33
        TEST_RR 2, sll, 0x80000000, 1, 31
        TEST_RR 3, srl, 0x7fffffff, 0xffffffff, 33
        TEST_RR 4, sra, 0xffffffff, 0x80000000, 63
        TEST_RR 5, sra, 0xc0000000, 0x80000000, 1
        TEST_RR 6, srl, 0x40000000, 0x80000000, 1
        TEST_RR 7, sll, 0x12345678, 0x12345678, 32
        TEST_RI 8, slli, 0x80000000, 1, 31
        TEST_RI 9, srli, 1, 0x80000000, 31
        TEST_RI 10, srai, -1, 0x80000000, 31
        TEST_RI 11, srai, 0xff000000, 0x80000000, 7
        """));
  }

  @Test
  void multiplyHighHalves() {
    assertPasses(asmTest("""
        TEST_RR 1, mul, 0x00000001, 0xffffffff, 0xffffffff
        TEST_RR 2, mul, 0x80000000, 0x80000000, 0xffffffff
        TEST_RR 3, mulh, 0, 0xffffffff, 0xffffffff
        TEST_RR 4, mulh, 0x40000000, 0x80000000, 0x80000000
        TEST_RR 5, mulh, 0xffffffff, 0x7fffffff, -1
        TEST_RR 6, mulhu, 0xfffffffe, 0xffffffff, 0xffffffff
        TEST_RR 7, mulhu, 0x40000000, 0x80000000, 0x80000000
        TEST_RR 8, mulhsu, 0xffffffff, 0xffffffff, 0xffffffff
        TEST_RR 9, mulhsu, 0xc0000000, 0x80000000, 0x80000000
        TEST_RR 10, mulhsu, 0x7ffffffe, 0x7fffffff, 0xffffffff
        TEST_RR 11, mulh, 0, 5, 7
        """));
  }

  @Test
  void divisionByZeroAndOverflow() {
    assertPasses(asmTest("""
        TEST_RR 1, div, -1, 7, 0
        TEST_RR 2, divu, 0xffffffff, 7, 0
        TEST_RR 3, rem, 7, 7, 0
        TEST_RR 4, remu, 7, 7, 0
        TEST_RR 5, div, 0x80000000, 0x80000000, -1
        TEST_RR 6, rem, 0, 0x80000000, -1
        TEST_RR 7, div, -3, -7, 2
        TEST_RR 8, rem, -1, -7, 2
        TEST_RR 9, rem, 1, 7, -2
        TEST_RR 10, divu, 0x7ffffffc, -7, 2
        TEST_RR 11, remu, 1, -7, 2
        TEST_RR 12, div, 0, 0, 0x80000000
        TEST_RR 13, divu, 1, 0x80000000, 0x80000000
        """));
  }

  @Test
  void loadsAndStoresExtendCorrectly() {
    assertPasses(asmTest("""
        la s0, data
        li t0, 0x80ff7f01
        sw t0, 0(s0)
        lb t2, 0(s0)
        TEST_EQ 1, t2, 1
        lb t2, 1(s0)
        TEST_EQ 2, t2, 0x7f
        lb t2, 2(s0)
        TEST_EQ 3, t2, -1
        lbu t2, 3(s0)
        TEST_EQ 4, t2, 0x80
        lh t2, 2(s0)
        TEST_EQ 5, t2, 0xffff80ff
        lhu t2, 2(s0)
        TEST_EQ 6, t2, 0x80ff
        lh t2, 0(s0)
        TEST_EQ 7, t2, 0x7f01
        li t0, 0xaa
        sb t0, 1(s0)
        lw t2, 0(s0)
        TEST_EQ 8, t2, 0x80ffaa01
        li t0, 0x12345678
        sh t0, 2(s0)
        lw t2, 0(s0)
        TEST_EQ 9, t2, 0x5678aa01
        sw t0, 4(s0)
        lw t2, 4(s0)
        TEST_EQ 10, t2, 0x12345678
        lw t2, -4(s0)
        TEST_EQ 11, t2, 0xdeadbeef
        j pass
        .data
        .word 0xdeadbeef
        data: .word 0, 0
        .text
        """));
  }

  @Test
  void jumpsBranchesAndX0() {
    assertPasses(asmTest("""
        li s11, 1
        addi x0, x0, 5
        bnez x0, fail
        li s11, 2
        jal ra, 1f
        j fail
        1: la t0, 1b
        la t1, 2f
        addi t1, t1, 1         # jalr clears bit 0 of the target
        jalr x0, 0(t1)
        j fail
        2: li s11, 3
        li t0, -1
        li t1, 1
        blt t0, t1, 3f
        j fail
        3: li s11, 4
        bltu t0, t1, fail
        bgeu t0, t1, 4f
        j fail
        4: li s11, 5
        bge t1, t0, 5f
        j fail
        5: li s11, 6
        beq t0, t1, fail
        bne t0, t0, fail
        li s11, 7
        la t1, 6f
        jalr ra, t1, 0
        6: la t2, 6b
        bne ra, t2, fail
        li s11, 8
        jal x0, 7f
        j fail
        7: lui x0, 0x12345
        auipc x0, 1
        la t1, 6b
        lw x0, 0(t1)
        li s11, 9
        bnez x0, fail
        """));
  }

  @Test
  void storesIntoCodeAreExecuted() {
    // the loop body is rewritten while running: the decoded-instruction cache must see the store
    assertPasses(asmTest("""
        li s1, 0
        li s2, 0
        1: la t0, 2f
        addi s2, s2, 1
        2: addi s1, s1, 1      # becomes "addi s1, s1, 100" after the first pass
        la t1, 3f
        lw t1, 0(t1)
        sw t1, 0(t0)
        li t2, 2
        bne s2, t2, 1b
        TEST_EQ 1, s1, 101
        j pass
        3: addi s1, s1, 100
        """));
  }

  @Test
  void countsRetiredInstructions() {
    Machine m = MachineTestSupport.runToHalt(asmTest("""
        li t0, 10
        1: addi t0, t0, -1
        bnez t0, 1b
        """), new TestPort());
    assertEquals(0, m.exitCode());
    // li (1) + 10 × 2 loop + j pass (1) + EXIT: li, la (auipc+addi), sw = 4
    assertEquals(1 + 20 + 1 + 4, m.icount());
  }
}
