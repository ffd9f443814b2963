/* At-most-once request/reply loop of the kv and append guests (see server.h). */
#include "server.h"

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

static void execute_and_reply(const struct server_config *cfg, uint32_t slot, const struct request *rq)
{
    uint8_t *reply = cfg->reply_cache + (uint32_t)cache_index[slot] * cfg->reply_bytes_max;
    uint8_t status = STATUS_BAD_REQUEST;
    uint32_t payload = 0;
    if ((rx_buf[9] | rx_buf[10] | rx_buf[11]) == 0)
        payload = cfg->execute(rq, reply + PROTO_REPLY_HEADER_BYTES, &status);
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

void server_run(const struct server_config *cfg)
{
    rt_printf("%s: serving (clients max %u)\n", cfg->name, SERVER_CLIENTS_MAX);
    irq_device_on(IRQ_NIC_RX);
    /* mstatus.MIE stays off: the loop polls, and WFI still wakes on the pending, locally enabled line. */
    irq_local_on(MIE_MEIE);
    for (;;) {
        if (MMIO32(NIC_RX_COUNT) == 0) {
            wfi();
            continue;
        }
        note_arrival();
        while (MMIO32(NIC_RX_COUNT) != 0)
            serve_packet(cfg);
    }
}
