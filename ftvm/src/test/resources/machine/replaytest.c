// A test guest that uses every nondeterministic device: timer interrupts at random short intervals,
// clock and rng reads feeding its computation, disk writes and reads, packets in and out. It prints
// a digest of everything it saw; record/replay tests compare runs through it.
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned char u8;

#define REG(a) (*(volatile u32 *)(a))
#define CONSOLE 0x10000000
#define IRQ_ENABLE 0x10000104
#define MTIMECMP_LO 0x02004000
#define MTIMECMP_HI 0x02004004
#define MTIME_LO 0x0200BFF8
#define MTIME_HI 0x0200BFFC
#define RTC_LO 0x10001000
#define RNG 0x10002000
#define RX_LEN 0x10003000
#define RX_ADDR 0x10003004
#define RX_CMD 0x10003008
#define RX_COUNT 0x1000300C
#define TX_ADDR 0x10003010
#define TX_LEN 0x10003014
#define TX_CMD 0x10003018
#define D_SECTOR 0x10004000
#define D_ADDR 0x10004004
#define D_COUNT 0x10004008
#define D_CMD 0x1000400C
#define D_STATUS 0x10004010
#define D_ACK 0x10004014
#define D_CAP 0x10004018

#ifndef ITERATIONS
#define ITERATIONS 1500
#endif

static u32 digest = 2166136261u;
static volatile u32 timer_irqs, rx_packets, rx_bytes;
static u8 rxbuf[8192];
static u8 wbuf[1024], rbuf[1024];
static u32 txbuf[4];

static void mix(u32 v) { digest = (digest ^ v) * 16777619u; }

static void putc_(char c) { REG(CONSOLE) = (u32)c; }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(u32 v) {
  for (int i = 28; i >= 0; i -= 4) putc_("0123456789abcdef"[(v >> i) & 15]);
}

static void arm_timer(void) {
  u32 lo = REG(MTIME_LO);
  u32 hi = REG(MTIME_HI);
  u64 next = (((u64)hi << 32) | lo) + 20 + (REG(RNG) % 200);
  REG(MTIMECMP_HI) = 0xffffffffu;
  REG(MTIMECMP_LO) = (u32)next;
  REG(MTIMECMP_HI) = (u32)(next >> 32);
}

static void exit_(u32 code);

__attribute__((interrupt("machine"))) void handler(void) {
  u32 cause;
  __asm__ volatile("csrr %0, mcause" : "=r"(cause));
  if (cause == 0x80000007u) {
    timer_irqs++;
    mix(0x1000 + timer_irqs);
    arm_timer();
  } else if (cause == 0x8000000bu) {
    while (REG(RX_COUNT)) {
      u32 len = REG(RX_LEN);
      REG(RX_ADDR) = (u32)rxbuf;
      REG(RX_CMD) = 1;
      for (u32 i = 0; i < len; i++) mix(rxbuf[i]);
      rx_packets++;
      rx_bytes += len;
    }
  } else {
    exit_(100 + cause);
  }
}

extern volatile u32 tohost;
static void exit_(u32 code) {
  tohost = (code << 1) | 1;
  for (;;) {}
}

static int disk_io(u32 op, u32 sector, u8 *buf, u32 count) {
  REG(D_SECTOR) = sector;
  REG(D_ADDR) = (u32)buf;
  REG(D_COUNT) = count;
  REG(D_CMD) = op;
  while (REG(D_STATUS) == 1) __asm__ volatile("wfi");
  u32 st = REG(D_STATUS);
  REG(D_ACK) = 1;
  return st == 2;
}

int main(void) {
  __asm__ volatile("csrw mtvec, %0" ::"r"(handler));
  REG(IRQ_ENABLE) = 1;
  arm_timer();
  __asm__ volatile("csrw mie, %0" ::"r"(0x880));
  __asm__ volatile("csrsi mstatus, 8");
  u32 cap = REG(D_CAP);
  u32 disk_ok = 0;
  for (u32 iter = 0; iter < ITERATIONS; iter++) {
    mix(REG(RNG));
    mix(REG(RTC_LO));
    for (u32 k = 0; k < 300; k++) mix(k * iter + (digest >> 7));
    if (cap >= 8 && iter % 8 == 0) {
      u32 sector = (digest >> 3) % (cap - 1);
      for (u32 i = 0; i < 1024; i++) wbuf[i] = (u8)(digest >> (i & 15)) ^ (u8)i;
      if (disk_io(2, sector, wbuf, 2) && disk_io(1, sector, rbuf, 2)) {
        u32 same = 1;
        for (u32 i = 0; i < 1024; i++) same &= rbuf[i] == wbuf[i];
        disk_ok += same;
        mix(rbuf[iter & 1023]);
      }
    }
    if (iter % 25 == 0) {
      txbuf[0] = iter;
      txbuf[1] = digest;
      txbuf[2] = timer_irqs;
      txbuf[3] = rx_packets;
      REG(TX_ADDR) = (u32)txbuf;
      REG(TX_LEN) = 16;
      REG(TX_CMD) = 1;
    }
    if (iter % 100 == 0) putc_('.');
  }
  __asm__ volatile("csrci mstatus, 8");
  puts_("\ndigest=");
  puthex(digest);
  puts_(" timer_irqs=");
  puthex(timer_irqs);
  puts_(" rx_packets=");
  puthex(rx_packets);
  puts_(" disk_ok=");
  puthex(disk_ok);
  puts_("\n");
  return 0;
}
