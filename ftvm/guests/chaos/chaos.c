/*
 * chaos: uses every nondeterministic device hard and prints a digest of everything it saw, so a
 * replay that is not exact to the instruction prints a different line. Timer interrupts at short
 * random intervals (mtimecmp from the rng) sample the interrupted pc and the main loop's progress;
 * the main loop mixes in clock, rtc, rng and counter reads, waits for ticks, and writes, reads back
 * and compares disk sectors; received packets are digested and echoed. Every wait is bounded by
 * time, so it also finishes when no packet ever arrives and when there is no disk.
 * Exit 0; 1 when a disk read-back differed from what was written; 2 when a disk request never ended.
 */
#include "../runtime/rt.h"

RT_PARAM(chaos_iterations, 2000u);

#define TIMER_INTERVAL_MIN_US 20u
#define TIMER_INTERVAL_SPREAD_US 500u
#define DISK_WAIT_US_MAX 5000000u
#define RX_PER_INTERRUPT_MAX 64u
#define ECHO_HEADER_BYTES 12u
#define ECHO_MAGIC 0x4F414843u /* "CHAO" */
#define WORK_ROUNDS_MIN 64u
#define WORK_ROUNDS_SPREAD 2048u
#define TICK_WAIT_EVERY 4u
#define DISK_ROUND_EVERY 16u
#define DISK_BUF_BYTES (DISK_COUNT_MAX * DISK_SECTOR_BYTES)

static volatile uint32_t ticks;
static volatile uint32_t progress;
static volatile uint32_t packets;
static volatile uint32_t disk_result;
static volatile uint32_t irq_digest = 0x811C9DC5u;

static uint32_t main_digest = 0x9747B28Cu;
static uint32_t disk_ops, disk_errors, disk_mismatches;

static uint8_t rx_buf[NIC_MTU_BYTES] __attribute__((aligned(4)));
static uint8_t tx_buf[NIC_MTU_BYTES] __attribute__((aligned(4)));
static uint8_t disk_wbuf[DISK_BUF_BYTES] __attribute__((aligned(4)));
static uint8_t disk_rbuf[DISK_BUF_BYTES] __attribute__((aligned(4)));

static inline uint32_t rotl(uint32_t v, uint32_t s) { return (v << s) | (v >> (32 - s)); }

static inline uint32_t mix(uint32_t h, uint32_t v)
{
    h ^= v * 0xCC9E2D51u;
    h = rotl(h, 13);
    return h * 5u + 0xE6546B64u;
}

static void main_mix(uint32_t v) { main_digest = mix(main_digest, v); }
static void irq_mix(uint32_t v) { irq_digest = mix(irq_digest, v); }

static uint32_t mix_bytes(uint32_t h, const uint8_t *p, uint32_t len)
{
    uint32_t i = 0;
    for (; i + 4 <= len; i += 4)
        h = mix(h, get_le32(p + i));
    for (; i < len; i++)
        h = mix(h, p[i]);
    return mix(h, len);
}

static void arm_timer(void)
{
    uint32_t r = rng_read();
    uint64_t now = mtime_read();
    irq_mix(r);
    irq_mix((uint32_t)now);
    mtimecmp_write(now + TIMER_INTERVAL_MIN_US + r % TIMER_INTERVAL_SPREAD_US);
}

static void on_timer(uint32_t mepc)
{
    ticks++;
    irq_mix(mepc);
    irq_mix(progress);
    arm_timer();
}

static void echo(uint32_t len)
{
    uint32_t body = len < NIC_MTU_BYTES - ECHO_HEADER_BYTES ? len : NIC_MTU_BYTES - ECHO_HEADER_BYTES;
    put_le32(tx_buf, ECHO_MAGIC);
    put_le32(tx_buf + 4, packets);
    put_le32(tx_buf + 8, irq_digest);
    memcpy(tx_buf + ECHO_HEADER_BYTES, rx_buf, body);
    nic_send(tx_buf, ECHO_HEADER_BYTES + body);
}

static void drain_rx(void)
{
    for (uint32_t n = 0; n < RX_PER_INTERRUPT_MAX && MMIO32(NIC_RX_COUNT) != 0; n++) {
        uint32_t len = MMIO32(NIC_RX_LEN);
        if (len > NIC_MTU_BYTES) {
            rt_printf("chaos: rx packet of %u bytes exceeds the %u-byte MTU\n", len, NIC_MTU_BYTES);
            rt_exit(RT_EXIT_TRAP);
        }
        nic_receive(rx_buf);
        packets++;
        irq_mix(mix_bytes(progress, rx_buf, len));
        echo(len);
    }
}

static void on_external(void)
{
    uint32_t pending = MMIO32(IRQ_PENDING);
    irq_mix(pending);
    if (pending & IRQ_NIC_RX)
        drain_rx();
    if (pending & IRQ_DISK_DONE) {
        uint32_t status = MMIO32(DISK_STATUS);
        MMIO32(DISK_ACK) = 1u;
        irq_mix(status);
        disk_result = status;
    }
}

void rt_interrupt(uint32_t cause, uint32_t mepc)
{
    if (cause == IRQ_CAUSE_TIMER) {
        on_timer(mepc);
    } else if (cause == IRQ_CAUSE_EXTERNAL) {
        on_external();
    } else {
        rt_printf("chaos: unexpected interrupt cause=%u\n", cause);
        rt_exit(RT_EXIT_TRAP);
    }
}

/*
 * Sleeps until the interrupt handler changed *word away from value, or until the mtime deadline.
 * TRICKY: the test runs with MIE off so no interrupt slips in between the test and WFI; WFI still
 * wakes on a pending, locally enabled interrupt, which is then taken once MIE is back on.
 */
static int wait_change(volatile uint32_t *word, uint32_t value, uint64_t deadline)
{
    int changed = 1;
    irq_global_off();
    while (*word == value) {
        if (mtime_read() > deadline) {
            changed = 0;
            break;
        }
        wfi();
        irq_global_on();
        irq_global_off();
    }
    irq_global_on();
    return changed;
}

static void read_counters(void)
{
    main_mix((uint32_t)mtime_read());
    uint64_t ns = rtc_read_ns();
    main_mix((uint32_t)ns);
    main_mix((uint32_t)(ns >> 32));
    main_mix(CSR_READ(cycle));
    main_mix(CSR_READ(instret));
    main_mix(CSR_READ(time));
    main_mix(ticks);
    main_mix(packets);
}

static void work(uint32_t rounds)
{
    uint32_t h = main_digest;
    for (uint32_t k = 0; k < rounds; k++) {
        h = mix(h, k ^ ticks);
        if ((h & 7u) == 0)
            h += h / ((k | 1u) + (h >> 28));
        progress = h;
    }
    main_digest = h;
}

static int disk_request(uint32_t cmd, uint32_t sector, void *buf, uint32_t count)
{
    disk_ops++;
    disk_result = DISK_STATUS_BUSY;
    disk_start(cmd, sector, buf, count);
    if (!wait_change(&disk_result, DISK_STATUS_BUSY, mtime_read() + DISK_WAIT_US_MAX)) {
        rt_printf("chaos: disk request (cmd %u sector %u count %u) never ended\n", cmd, sector, count);
        rt_exit(2);
    }
    if (disk_result != DISK_STATUS_DONE) {
        disk_errors++;
        return 0;
    }
    return 1;
}

static void disk_round(uint32_t capacity, uint32_t iteration)
{
    uint32_t r = rng_read();
    uint32_t count = 1u + r % DISK_COUNT_MAX;
    if (count > capacity)
        count = capacity;
    uint32_t sector = rng_read() % (capacity - count + 1u);
    uint32_t bytes = count * DISK_SECTOR_BYTES;
    uint32_t fill = mix(main_digest, iteration);
    for (uint32_t i = 0; i < bytes; i += 4, fill = mix(fill, i))
        put_le32(disk_wbuf + i, fill);
    if (disk_request(DISK_CMD_WRITE, sector, disk_wbuf, count)
        && disk_request(DISK_CMD_READ, sector, disk_rbuf, count)) {
        if (memcmp(disk_wbuf, disk_rbuf, bytes) != 0)
            disk_mismatches++;
        main_mix(mix_bytes(sector, disk_rbuf, bytes));
    }
    uint32_t other = rng_read() % (capacity - count + 1u);
    if (disk_request(DISK_CMD_READ, other, disk_rbuf, count))
        main_mix(mix_bytes(other, disk_rbuf, bytes));
}

int main(void)
{
    uint32_t iterations = chaos_iterations;
    uint32_t capacity = MMIO32(DISK_CAPACITY);
    rt_printf("chaos: iterations=%u disk_sectors=%u\n", iterations, capacity);
    irq_device_on(IRQ_NIC_RX | IRQ_DISK_DONE);
    arm_timer();
    irq_local_on(MIE_MTIE | MIE_MEIE);
    irq_global_on();
    for (uint32_t it = 0; it < iterations; it++) {
        work(WORK_ROUNDS_MIN + rng_read() % WORK_ROUNDS_SPREAD);
        read_counters();
        if (it % TICK_WAIT_EVERY == 0) {
            uint32_t seen = ticks;
            /* The timer is always armed, so this ends within one interval of host time. */
            wait_change(&ticks, seen, mtime_read() + DISK_WAIT_US_MAX);
        }
        if (capacity != 0 && it % DISK_ROUND_EVERY == 0)
            disk_round(capacity, it);
    }
    irq_global_off();
    irq_local_off(MIE_MTIE | MIE_MEIE);
    rt_printf("chaos: digest=%08x%08x iterations=%u ticks=%u packets=%u disk_ops=%u disk_errors=%u "
              "disk_mismatches=%u\n",
              main_digest, irq_digest, iterations, ticks, packets, disk_ops, disk_errors, disk_mismatches);
    return disk_mismatches != 0 ? 1 : 0;
}
