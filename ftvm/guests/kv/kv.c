/*
 * kv: a key-value server over the NIC. READ, WRITE and CAS of an i32 per u32 key, at most once per
 * client (runtime/server.c). Holds at most KEYS_MAX keys; a write of a new key beyond that is FULL.
 */
#include "../runtime/server.h"

#define KEYS_MAX 4096u
/* Open addressing at load <= 1/2, no deletion: probing an absent key always meets an empty slot. */
#define KEY_SLOTS 8192u
#define KEY_HASH_SHIFT 19u
#define REPLY_BYTES_MAX (PROTO_REPLY_HEADER_BYTES + 4u)

static uint32_t keys[KEY_SLOTS];
static int32_t values[KEY_SLOTS];
static uint8_t key_used[KEY_SLOTS];
static uint32_t keys_count;
static uint8_t reply_cache[SERVER_CLIENTS_MAX * REPLY_BYTES_MAX] __attribute__((aligned(4)));

static uint32_t key_probe(uint32_t key)
{
    uint32_t i = (key * 0x9E3779B1u) >> KEY_HASH_SHIFT;
    while (key_used[i] && keys[i] != key)
        i = (i + 1) & (KEY_SLOTS - 1);
    return i;
}

static uint32_t do_read(const struct request *rq, uint8_t *payload, uint8_t *status)
{
    uint32_t i = key_probe(rq->key);
    if (!key_used[i]) {
        *status = STATUS_NIL;
        return 0;
    }
    put_le32(payload, (uint32_t)values[i]);
    *status = STATUS_OK;
    return 4;
}

static uint32_t do_write(const struct request *rq, uint8_t *status)
{
    uint32_t i = key_probe(rq->key);
    if (!key_used[i]) {
        if (keys_count == KEYS_MAX) {
            *status = STATUS_FULL;
            return 0;
        }
        key_used[i] = 1;
        keys[i] = rq->key;
        keys_count++;
    }
    values[i] = rq->arg1;
    *status = STATUS_OK;
    return 0;
}

/* A cas of an absent key fails: no value can equal the expected one. */
static uint32_t do_cas(const struct request *rq, uint8_t *status)
{
    uint32_t i = key_probe(rq->key);
    if (!key_used[i] || values[i] != rq->arg1) {
        *status = STATUS_FAIL;
        return 0;
    }
    values[i] = rq->arg2;
    *status = STATUS_OK;
    return 0;
}

/* Housekeeping: a used slot's key must be found where it lies; an absent one would be lost to reads. */
static uint32_t audit(uint32_t slot, uint32_t *digest)
{
    if (!key_used[slot])
        return 0;
    if (key_probe(keys[slot]) != slot) {
        rt_printf("kv: audit: key %u in slot %u is not found there\n", keys[slot], slot);
        rt_exit(RT_EXIT_TRAP);
    }
    *digest = server_mix(server_mix(*digest, keys[slot]), (uint32_t)values[slot]);
    return 1;
}

static uint32_t execute(const struct request *rq, uint8_t *payload, uint8_t *status)
{
    switch (rq->op) {
    case OP_READ: return do_read(rq, payload, status);
    case OP_WRITE: return do_write(rq, status);
    case OP_CAS: return do_cas(rq, status);
    default:
        *status = STATUS_BAD_REQUEST;
        return 0;
    }
}

int main(void)
{
    static const struct server_config cfg = {
        .name = "kv",
        .execute = execute,
        .reply_bytes_max = REPLY_BYTES_MAX,
        .reply_cache = reply_cache,
        .audit = audit,
        .audit_slots = KEY_SLOTS,
    };
    server_run(&cfg);
}
