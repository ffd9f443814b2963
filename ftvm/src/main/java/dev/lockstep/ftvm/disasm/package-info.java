/**
 * The RV32IM + Zicsr disassembler shared by {@code lockstep machine run --trace}, {@code lockstep
 * diverge} and the debugger: one instruction word and its address in, the text llvm-objdump prints
 * with {@code -M no-aliases} out, and which register an instruction writes.
 *
 * <p>Pure functions of the word and the pc; it never reads guest memory or machine state.
 */
package dev.lockstep.ftvm.disasm;
