/*
 * The Lockstep guests' freestanding runtime: device registers (ftvm/DEVICES.md), CSR and interrupt
 * helpers, the HTIF exit, memory helpers and a small console writer. No libc.
 */
#ifndef LOCKSTEP_RT_H
#define LOCKSTEP_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define MMIO32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* Device registers: ftvm/DEVICES.md is the binding table. */
#define CONSOLE_TX          0x10000000u
#define IRQ_PENDING         0x10000100u
#define IRQ_ENABLE          0x10000104u
#define IRQ_NIC_RX          1u
#define IRQ_DISK_DONE       2u
#define TIMER_MTIMECMP_LO   0x02004000u
#define TIMER_MTIMECMP_HI   0x02004004u
#define TIMER_MTIME_LO      0x0200BFF8u
#define TIMER_MTIME_HI      0x0200BFFCu
#define RTC_NS_LO           0x10001000u
#define RTC_NS_HI           0x10001004u
#define RNG_VALUE           0x10002000u
#define NIC_RX_LEN          0x10003000u
#define NIC_RX_ADDR         0x10003004u
#define NIC_RX_CMD          0x10003008u
#define NIC_RX_COUNT        0x1000300Cu
#define NIC_TX_ADDR         0x10003010u
#define NIC_TX_LEN          0x10003014u
#define NIC_TX_CMD          0x10003018u
#define DISK_SECTOR         0x10004000u
#define DISK_ADDR           0x10004004u
#define DISK_COUNT          0x10004008u
#define DISK_CMD            0x1000400Cu
#define DISK_STATUS         0x10004010u
#define DISK_ACK            0x10004014u
#define DISK_CAPACITY       0x10004018u

#define NIC_MTU_BYTES       8192u
#define DISK_SECTOR_BYTES   512u
#define DISK_COUNT_MAX      8u
#define DISK_CMD_READ       1u
#define DISK_CMD_WRITE      2u
#define DISK_STATUS_IDLE    0u
#define DISK_STATUS_BUSY    1u
#define DISK_STATUS_DONE    2u
#define DISK_STATUS_ERROR   3u

/* Machine-mode CSR bits. */
#define MSTATUS_MIE         (1u << 3)
#define MIE_MTIE            (1u << 7)
#define MIE_MEIE            (1u << 11)
#define MCAUSE_INTERRUPT    (1u << 31)
#define IRQ_CAUSE_TIMER     7u
#define IRQ_CAUSE_EXTERNAL  11u

/* Exit codes the runtime itself uses; guests use 0 for success. */
#define RT_EXIT_TRAP        3

#define CSR_READ(csr) ({ uint32_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define CSR_WRITE(csr, v) __asm__ volatile("csrw " #csr ", %0" : : "r"((uint32_t)(v)) : "memory")
#define CSR_SET(csr, v) __asm__ volatile("csrs " #csr ", %0" : : "r"((uint32_t)(v)) : "memory")
#define CSR_CLEAR(csr, v) __asm__ volatile("csrc " #csr ", %0" : : "r"((uint32_t)(v)) : "memory")

/*
 * A word a host may patch in the ELF image before boot (found by its symbol name): the guest reads it
 * through a volatile access so the compiler cannot fold the default in.
 */
#define RT_PARAM(name, value) \
    volatile const uint32_t name __attribute__((section(".params"), used)) = (value)

static inline void wfi(void) { __asm__ volatile("wfi" : : : "memory"); }

/* Global interrupt enable (mstatus.MIE). WFI wakes on mip & mie whatever MIE says. */
static inline void irq_global_on(void) { CSR_SET(mstatus, MSTATUS_MIE); }
static inline void irq_global_off(void) { CSR_CLEAR(mstatus, MSTATUS_MIE); }
static inline void irq_local_on(uint32_t mie_bits) { CSR_SET(mie, mie_bits); }
static inline void irq_local_off(uint32_t mie_bits) { CSR_CLEAR(mie, mie_bits); }
static inline void irq_device_on(uint32_t bits) { MMIO32(IRQ_ENABLE) |= bits; }
static inline void irq_device_off(uint32_t bits) { MMIO32(IRQ_ENABLE) &= ~bits; }

/* Clock event: reading the low half latches the high half (DEVICES.md). */
static inline uint64_t mtime_read(void)
{
    uint32_t lo = MMIO32(TIMER_MTIME_LO);
    uint32_t hi = MMIO32(TIMER_MTIME_HI);
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rtc_read_ns(void)
{
    uint32_t lo = MMIO32(RTC_NS_LO);
    uint32_t hi = MMIO32(RTC_NS_HI);
    return ((uint64_t)hi << 32) | lo;
}

static inline uint32_t rng_read(void) { return MMIO32(RNG_VALUE); }

/* Arms the timer; the high word first goes to all-ones so no transient compare fires early. */
static inline void mtimecmp_write(uint64_t when)
{
    MMIO32(TIMER_MTIMECMP_LO) = 0xFFFFFFFFu;
    MMIO32(TIMER_MTIMECMP_HI) = (uint32_t)(when >> 32);
    MMIO32(TIMER_MTIMECMP_LO) = (uint32_t)when;
}

static inline void nic_send(const void *packet, uint32_t len)
{
    MMIO32(NIC_TX_ADDR) = (uint32_t)(uintptr_t)packet;
    MMIO32(NIC_TX_LEN) = len;
    MMIO32(NIC_TX_CMD) = 1u;
}

/* Copies the head rx packet to dst and pops it; the caller checked NIC_RX_LEN fits. */
static inline void nic_receive(void *dst)
{
    MMIO32(NIC_RX_ADDR) = (uint32_t)(uintptr_t)dst;
    MMIO32(NIC_RX_CMD) = 1u;
}

static inline void disk_start(uint32_t cmd, uint32_t sector, void *buf, uint32_t count)
{
    MMIO32(DISK_SECTOR) = sector;
    MMIO32(DISK_ADDR) = (uint32_t)(uintptr_t)buf;
    MMIO32(DISK_COUNT) = count;
    MMIO32(DISK_CMD) = cmd;
}

static inline uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void rt_putc(char c);
void rt_puts(const char *s);
/* printf subset: %d %u %x %X %c %s %%, with an optional '0' flag and width. */
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_vprintf(const char *fmt, va_list ap);

/* HTIF exit: stores (code << 1) | 1 to tohost; never returns. */
__attribute__((noreturn)) void rt_exit(int code);

/*
 * Called from the trap vector for an interrupt (cause without the interrupt bit). The runtime's
 * default ends the run: a guest that enables an interrupt defines this function.
 */
void rt_interrupt(uint32_t cause, uint32_t mepc);

extern volatile uint64_t tohost;
extern volatile uint64_t fromhost;

#endif
