.text
.globl _start
_start:
lui a0, 0
lui t6, 1048575
auipc s11, 12345
jal zero, _start
jal ra, fwd
jalr zero, 0(ra)
jalr t0, -2048(a5)
jalr s1, 2047(s2)
beq a0, a1, _start
bne s0, s1, fwd
blt t0, t1, _start
bge t2, t3, fwd
bltu a6, a7, _start
bgeu s10, s11, fwd
fwd:
lb a0, -1(sp)
lh a1, 2(gp)
lw a2, -2048(tp)
lbu a3, 2047(t0)
lhu a4, 0(zero)
sb a5, -1(sp)
sh a6, 10(s0)
sw a7, -2048(s1)
addi x0, x0, 0
addi a0, a0, -2048
slti a1, a2, 2047
sltiu a3, a4, -1
xori a5, a6, -1
ori a7, s2, 255
andi s3, s4, -256
slli s5, s6, 31
srli s7, s8, 1
srai s9, s10, 17
add t3, t4, t5
sub t6, zero, ra
sll sp, gp, tp
slt t0, t1, t2
sltu s0, s1, a0
xor a1, a2, a3
srl a4, a5, a6
sra a7, s2, s3
or s4, s5, s6
and s7, s8, s9
mul a0, a1, a2
mulh a3, a4, a5
mulhsu a6, a7, s2
mulhu s3, s4, s5
div s6, s7, s8
divu s9, s10, s11
rem t3, t4, t5
remu t6, t0, t1
fence iorw, iorw
fence r, w
fence.i
ecall
ebreak
mret
wfi
csrrw a0, mstatus, a1
csrrs a0, mepc, zero
csrrc zero, mie, a0
csrrwi a0, mscratch, 31
csrrsi zero, mstatus, 8
csrrci t0, mip, 0
csrrs a0, cycleh, zero
csrrs a0, timeh, zero
csrrs a0, mcycle, zero
csrrs a0, minstret, zero
csrrs a0, mcycleh, zero
csrrs a0, minstreth, zero
csrrs a0, mhartid, zero
csrrs a0, mvendorid, zero
csrrs a0, marchid, zero
csrrs a0, mimpid, zero
csrrs a0, misa, zero
csrrs a0, mtvec, zero
csrrs a0, mstatush, zero
csrrs a0, mscratch, zero
csrrs a0, mcause, zero
csrrs a0, mtval, zero
csrrs a0, 0x7c0, zero
.word 0
.word 0xffffffff
