/*
 * The request/reply server of the kv and append guests (see server.h). Everything runs in interrupt
 * handlers and the idle loop only waits in WFI with mstatus.MIE on, so every interrupt is taken at the
 * icount it is delivered at, as in a real kernel's idle loop:
 * - NIC rx: serves every queued request (at most once per client).
 * - timer, every SERVER_TICK_US: audits a few slots of the guest's table and flushes the journal.
 * - disk done: retires the journal sectors just written, or checks a read-back against what was
 *   written, and starts the next request.
 * The journal holds a 32-byte record of every executed WRITE, CAS and APPEND, appended in a ring over
 * the disk a sector at a time (a partly filled sector that gained records is written at the next tick,
 * as a log that syncs once per interval does); every JOURNAL_VERIFY_EVERY writes, the first sector of the last
 * write is read back and compared. Replies never wait for the disk: the journal, the audit and the
 * tick count change only guest memory, which the state hash covers, never a reply.
 */
#include "server.h"

#define SERVER_TICK_US 10000u
#define AUDIT_SLOTS_PER_TICK 64u
#define RX_PER_INTERRUPT_MAX 64u
#define JOURNAL_RECORD_BYTES 32u
#define JOURNAL_BUF_SECTORS DISK_COUNT_MAX
#define JOURNAL_BUF_BYTES (JOURNAL_BUF_SECTORS * DISK_SECTOR_BYTES)
#define JOURNAL_VERIFY_EVERY 8u
#define JOURNAL_MAGIC 0x4C4E524Au /* "JRNL" */

_Static_assert(DISK_SECTOR_BYTES % JOURNAL_RECORD_BYTES == 0, "records never straddle a sector");

/* Open addressing at load <= 1/2: probing an absent client always meets an empty slot. */
#define CLIENT_SLOTS 2048u
#define CLIENT_HASH_SHIFT 21u

static uint32_t client_ids[CLIENT_SLOTS];
static uint32_t last_seqs[CLIENT_SLOTS];
static uint16_t reply_lens[CLIENT_SLOTS];
static uint16_t cache_index[CLIENT_SLOTS];
static uint8_t slot_used[CLIENT_SLOTS];
static uint32_t clients_used;

/*
 * When each client was last seen and the longest quiet spell between two packets (mtime, µs), as a
 * real server keeps them for idle-client eviction and load figures. They live in guest memory only,
 * never in a reply: a replica that reads another clock than the one the primary logged reaches
 * another state, which only the state hash can see (the planted bug backup-own-clock).
 */
static uint64_t last_seen_us[CLIENT_SLOTS];
static uint64_t packet_us;
static uint64_t last_packet_us;
static uint64_t quiet_max_us;

/* Timer housekeeping: ticks taken, the next deadline (mtime, µs) and the audit's progress. */
static uint32_t ticks;
static uint64_t tick_deadline_us;
static uint32_t audit_cursor;
static uint32_t audit_used;
static uint32_t audit_digest;
static uint32_t audit_sweeps;
static uint32_t audit_last_used;
static uint32_t audit_last_digest;

/*
 * The journal: records not yet on the disk (jbuf, first byte at sector jbase), the request in
 * flight, and what the guest learnt from the disk. Sectors [0, journal_sectors) form the ring.
 */
enum journal_io { IO_NONE, IO_WRITE, IO_VERIFY };
static uint32_t journal_sectors;
static uint32_t jbase;
static uint32_t jfill;
static uint32_t jrecords;
/* Records appended since the last write started: a tick rewrites a partly filled sector only then. */
static uint32_t jdirty;
static uint32_t io;
static uint32_t io_sector;
static uint32_t io_bytes;
static uint32_t writes_done;
static uint32_t verified;
static uint32_t mismatches;
static uint32_t disk_errors;
static uint32_t journal_dropped;
static uint32_t verify_digest;
static uint8_t jbuf[JOURNAL_BUF_BYTES] __attribute__((aligned(4)));
static uint8_t jlast[DISK_SECTOR_BYTES] __attribute__((aligned(4)));
static uint8_t jread[DISK_SECTOR_BYTES] __attribute__((aligned(4)));

static const struct server_config *config;
static uint32_t out_seq;
static uint8_t rx_buf[NIC_MTU_BYTES] __attribute__((aligned(4)));
static uint8_t small_reply[PROTO_REPLY_HEADER_BYTES] __attribute__((aligned(4)));

static uint32_t client_home(uint32_t client_id) { return (client_id * 0x9E3779B1u) >> CLIENT_HASH_SHIFT; }

/* Returns the client's slot, or the empty slot where it would go (slot_used tells which). */
static uint32_t client_probe(uint32_t client_id)
{
    uint32_t i = client_home(client_id);
    while (slot_used[i] && client_ids[i] != client_id)
        i = (i + 1) & (CLIENT_SLOTS - 1);
    return i;
}

static void put_header(uint8_t *reply, uint32_t client_id, uint32_t req_seq, uint32_t status, uint32_t op)
{
    put_le32(reply, client_id);
    put_le32(reply + 4, req_seq);
    put_le32(reply + 8, ++out_seq);
    reply[12] = (uint8_t)status;
    reply[13] = (uint8_t)op;
    reply[14] = 0;
    reply[15] = 0;
}

/* A reply that no retry can ask for again: a packet that is not a request, or a client with no room. */
static void send_uncached(uint32_t client_id, uint32_t req_seq, uint32_t status, uint32_t op)
{
    put_header(small_reply, client_id, req_seq, status, op);
    nic_send(small_reply, PROTO_REPLY_HEADER_BYTES);
}

static void reply_unframed(uint32_t len)
{
    uint32_t client_id = len >= 4 ? get_le32(rx_buf) : 0;
    uint32_t req_seq = len >= 8 ? get_le32(rx_buf + 4) : 0;
    uint32_t op = len >= 9 ? rx_buf[8] : 0;
    send_uncached(client_id, req_seq, STATUS_BAD_REQUEST, op);
}

static void parse(struct request *rq)
{
    rq->client_id = get_le32(rx_buf);
    rq->req_seq = get_le32(rx_buf + 4);
    rq->op = rx_buf[8];
    rq->key = get_le32(rx_buf + 12);
    rq->arg1 = (int32_t)get_le32(rx_buf + 16);
    rq->arg2 = (int32_t)get_le32(rx_buf + 20);
}

static void journal_write(void)
{
    uint32_t count = (jfill + DISK_SECTOR_BYTES - 1) / DISK_SECTOR_BYTES;
    io = IO_WRITE;
    io_sector = jbase;
    io_bytes = jfill;
    jdirty = 0;
    /* the unused rest of a partly filled sector goes out as zeros, never as older records */
    memset(jbuf + jfill, 0, count * DISK_SECTOR_BYTES - jfill);
    memcpy(jlast, jbuf, DISK_SECTOR_BYTES);
    /* the disk copies the data out when the request starts: jbuf may fill on meanwhile */
    disk_start(DISK_CMD_WRITE, jbase, jbuf, count);
}

/* Starts a write when the disk is idle and a whole sector waits (or, at a tick, any new record). */
static void journal_flush(uint32_t partial_too)
{
    if (io == IO_NONE && jdirty && (jfill >= DISK_SECTOR_BYTES || partial_too))
        journal_write();
}

static void journal_append(const struct request *rq, uint8_t status)
{
    if (journal_sectors == 0)
        return;
    if (jfill == JOURNAL_BUF_BYTES) {
        journal_dropped++;
        return;
    }
    uint8_t *r = jbuf + jfill;
    put_le32(r, JOURNAL_MAGIC);
    put_le32(r + 4, ++jrecords);
    put_le32(r + 8, rq->client_id);
    put_le32(r + 12, rq->req_seq);
    put_le32(r + 16, rq->op | ((uint32_t)status << 8));
    put_le32(r + 20, rq->key);
    put_le32(r + 24, (uint32_t)rq->arg1);
    put_le32(r + 28, (uint32_t)rq->arg2);
    jfill += JOURNAL_RECORD_BYTES;
    jdirty = 1;
    journal_flush(0);
}

/* A write ended: its whole sectors leave the buffer; a partly filled last sector is written again later. */
static void journal_written(void)
{
    uint32_t whole = io_bytes / DISK_SECTOR_BYTES;
    uint32_t keep = jfill - whole * DISK_SECTOR_BYTES;
    memmove(jbuf, jbuf + whole * DISK_SECTOR_BYTES, keep);
    jfill = keep;
    jbase += whole;
    if (jbase + JOURNAL_BUF_SECTORS > journal_sectors)
        jbase = 0;
    if (++writes_done % JOURNAL_VERIFY_EVERY == 0) {
        io = IO_VERIFY;
        disk_start(DISK_CMD_READ, io_sector, jread, 1);
    }
}

static void journal_verified(void)
{
    verify_digest = server_mix(verify_digest, io_sector);
    for (uint32_t i = 0; i < DISK_SECTOR_BYTES; i += 4)
        verify_digest = server_mix(verify_digest, get_le32(jread + i));
    if (memcmp(jread, jlast, DISK_SECTOR_BYTES) == 0) {
        verified++;
    } else {
        mismatches++;
        rt_printf("%s: journal sector %u read back differs from what was written\n", config->name, io_sector);
    }
}

static void on_disk_done(void)
{
    uint32_t status = MMIO32(DISK_STATUS);
    MMIO32(DISK_ACK) = 1u;
    uint32_t was = io;
    io = IO_NONE;
    if (status != DISK_STATUS_DONE) {
        disk_errors++;
        jdirty |= was == IO_WRITE; /* the records stay in the buffer: the next tick writes them again */
    } else if (was == IO_WRITE) {
        journal_written();
    } else if (was == IO_VERIFY) {
        journal_verified();
    }
    journal_flush(0);
}

static void execute_and_reply(const struct server_config *cfg, uint32_t slot, const struct request *rq)
{
    uint8_t *reply = cfg->reply_cache + (uint32_t)cache_index[slot] * cfg->reply_bytes_max;
    uint8_t status = STATUS_BAD_REQUEST;
    uint32_t payload = 0;
    if ((rx_buf[9] | rx_buf[10] | rx_buf[11]) == 0) {
        payload = cfg->execute(rq, reply + PROTO_REPLY_HEADER_BYTES, &status);
        if (rq->op == OP_WRITE || rq->op == OP_CAS || rq->op == OP_APPEND)
            journal_append(rq, status);
    }
    put_header(reply, rq->client_id, rq->req_seq, status, rq->op);
    last_seqs[slot] = rq->req_seq;
    reply_lens[slot] = (uint16_t)(PROTO_REPLY_HEADER_BYTES + payload);
    nic_send(reply, reply_lens[slot]);
}

static void serve_request(const struct server_config *cfg)
{
    struct request rq;
    parse(&rq);
    uint32_t slot = client_probe(rq.client_id);
    if (slot_used[slot]) {
        last_seen_us[slot] = packet_us;
        if (rq.req_seq == last_seqs[slot]) {
            nic_send(cfg->reply_cache + (uint32_t)cache_index[slot] * cfg->reply_bytes_max, reply_lens[slot]);
            return;
        }
        if (rq.req_seq < last_seqs[slot])
            return;
    } else {
        if (clients_used == SERVER_CLIENTS_MAX) {
            send_uncached(rq.client_id, rq.req_seq, STATUS_FULL, rq.op);
            return;
        }
        slot_used[slot] = 1;
        client_ids[slot] = rq.client_id;
        cache_index[slot] = (uint16_t)clients_used++;
        last_seen_us[slot] = packet_us;
    }
    execute_and_reply(cfg, slot, &rq);
}

/*
 * Reads the clock once per burst of packets taken from the NIC, as an event-loop server caches the
 * time once per loop iteration (Redis does): every packet of the burst is stamped with it.
 */
static void note_arrival(void)
{
    packet_us = mtime_read();
    /* a host clock stepped back by a clock fault gives no gap rather than a huge one */
    if (last_packet_us != 0 && packet_us > last_packet_us && packet_us - last_packet_us > quiet_max_us)
        quiet_max_us = packet_us - last_packet_us;
    last_packet_us = packet_us;
    /* a clock stepped back would silence the tick for as long as the step: re-arm from now */
    if (tick_deadline_us > packet_us + 2u * SERVER_TICK_US) {
        tick_deadline_us = packet_us + SERVER_TICK_US;
        mtimecmp_write(tick_deadline_us);
    }
}

static void serve_packet(const struct server_config *cfg)
{
    uint32_t len = MMIO32(NIC_RX_LEN);
    if (len > NIC_MTU_BYTES) {
        rt_printf("%s: rx packet of %u bytes exceeds the %u-byte MTU\n", cfg->name, len, NIC_MTU_BYTES);
        rt_exit(RT_EXIT_TRAP);
    }
    nic_receive(rx_buf);
    if (len == PROTO_REQUEST_BYTES)
        serve_request(cfg);
    else
        reply_unframed(len);
}

static void audit_step(void)
{
    for (uint32_t n = 0; n < AUDIT_SLOTS_PER_TICK; n++) {
        audit_used += config->audit(audit_cursor, &audit_digest);
        if (++audit_cursor == config->audit_slots) {
            audit_cursor = 0;
            audit_sweeps++;
            audit_last_used = audit_used;
            audit_last_digest = audit_digest;
            audit_used = 0;
            audit_digest = 0;
        }
    }
}

/* The tick: next deadline one period on (from now when the clock ran past it), audit, flush. */
static void on_tick(void)
{
    ticks++;
    uint64_t now = mtime_read();
    tick_deadline_us += SERVER_TICK_US;
    if (tick_deadline_us <= now)
        tick_deadline_us = now + SERVER_TICK_US;
    mtimecmp_write(tick_deadline_us);
    audit_step();
    journal_flush(1);
}

static void on_external(void)
{
    uint32_t pending = MMIO32(IRQ_PENDING);
    if (pending & IRQ_DISK_DONE)
        on_disk_done();
    if (pending & IRQ_NIC_RX) {
        note_arrival();
        for (uint32_t n = 0; n < RX_PER_INTERRUPT_MAX && MMIO32(NIC_RX_COUNT) != 0; n++)
            serve_packet(config);
    }
}

void rt_interrupt(uint32_t cause, uint32_t mepc)
{
    (void)mepc;
    if (cause == IRQ_CAUSE_TIMER) {
        on_tick();
    } else if (cause == IRQ_CAUSE_EXTERNAL) {
        on_external();
    } else {
        rt_printf("%s: unexpected interrupt cause=%u\n", config->name, cause);
        rt_exit(RT_EXIT_TRAP);
    }
}

void server_run(const struct server_config *cfg)
{
    config = cfg;
    uint32_t capacity = MMIO32(DISK_CAPACITY);
    /* the ring holds whole buffers of sectors; a disk smaller than one buffer keeps no journal */
    journal_sectors = capacity >= JOURNAL_BUF_SECTORS ? capacity : 0;
    rt_printf("%s: serving (clients max %u)\n", cfg->name, SERVER_CLIENTS_MAX);
    tick_deadline_us = mtime_read() + SERVER_TICK_US;
    mtimecmp_write(tick_deadline_us);
    irq_device_on(IRQ_NIC_RX | IRQ_DISK_DONE);
    irq_local_on(MIE_MTIE | MIE_MEIE);
    irq_global_on();
    /*
     * TRICKY: WFI with MIE on: an interrupt that comes between two WFIs is taken at once and its
     * handler does all the work, so nothing is left pending for a WFI to sleep through.
     */
    for (;;)
        wfi();
}
