/*
 * append: a list-append server over the NIC. APPEND adds an i32 to a key's list; READ_LIST (and READ)
 * returns the whole list in append order. At most once per client (runtime/server.c), so a duplicated
 * or lost append shows in the lists a checker reads. Bounded: KEYS_MAX lists of at most
 * LIST_ELEMENTS_MAX elements (so a READ_LIST reply fits the MTU), from a shared pool of chunks.
 */
#include "../runtime/server.h"

#define KEYS_MAX 1024u
#define KEY_SLOTS 2048u
#define KEY_HASH_SHIFT 21u
#define LIST_ELEMENTS_MAX 1024u
#define CHUNK_ELEMENTS 64u
#define CHUNKS_MAX 8192u
#define CHUNK_NONE 0xFFFFu
#define REPLY_BYTES_MAX (PROTO_REPLY_HEADER_BYTES + 4u + 4u * LIST_ELEMENTS_MAX)

_Static_assert(REPLY_BYTES_MAX <= NIC_MTU_BYTES, "a full list must fit one reply packet");

struct list {
    uint32_t key;
    uint32_t count;
    uint16_t head;
    uint16_t tail;
};

static struct list lists[KEY_SLOTS];
static uint8_t key_used[KEY_SLOTS];
static uint32_t keys_count;
static int32_t chunk_elements[CHUNKS_MAX][CHUNK_ELEMENTS];
static uint16_t chunk_next[CHUNKS_MAX];
static uint32_t chunks_used;
static uint8_t reply_cache[SERVER_CLIENTS_MAX * REPLY_BYTES_MAX] __attribute__((aligned(4)));

static uint32_t key_probe(uint32_t key)
{
    uint32_t i = (key * 0x9E3779B1u) >> KEY_HASH_SHIFT;
    while (key_used[i] && lists[i].key != key)
        i = (i + 1) & (KEY_SLOTS - 1);
    return i;
}

static uint32_t chunk_new(void)
{
    uint32_t c = chunks_used++;
    chunk_next[c] = CHUNK_NONE;
    return c;
}

/* Room for one more element in list l (a new list when l is an empty slot), without changing it. */
static int has_room(const struct list *l, int is_new)
{
    if (is_new && keys_count == KEYS_MAX)
        return 0;
    if (!is_new && l->count == LIST_ELEMENTS_MAX)
        return 0;
    int needs_chunk = is_new || l->count % CHUNK_ELEMENTS == 0;
    return !needs_chunk || chunks_used < CHUNKS_MAX;
}

static uint32_t do_append(const struct request *rq, uint8_t *status)
{
    uint32_t i = key_probe(rq->key);
    struct list *l = &lists[i];
    int is_new = !key_used[i];
    if (!has_room(l, is_new)) {
        *status = STATUS_FULL;
        return 0;
    }
    if (is_new) {
        key_used[i] = 1;
        keys_count++;
        l->key = rq->key;
        l->count = 0;
        l->head = l->tail = (uint16_t)chunk_new();
    } else if (l->count % CHUNK_ELEMENTS == 0) {
        uint32_t c = chunk_new();
        chunk_next[l->tail] = (uint16_t)c;
        l->tail = (uint16_t)c;
    }
    chunk_elements[l->tail][l->count % CHUNK_ELEMENTS] = rq->arg1;
    l->count++;
    *status = STATUS_OK;
    return 0;
}

/* An absent key reads as the empty list. */
static uint32_t do_read_list(const struct request *rq, uint8_t *payload, uint8_t *status)
{
    uint32_t i = key_probe(rq->key);
    uint32_t n = key_used[i] ? lists[i].count : 0;
    put_le32(payload, n);
    uint8_t *out = payload + 4;
    uint32_t c = key_used[i] ? lists[i].head : CHUNK_NONE;
    for (uint32_t done = 0; done < n; c = chunk_next[c]) {
        uint32_t take = n - done < CHUNK_ELEMENTS ? n - done : CHUNK_ELEMENTS;
        for (uint32_t k = 0; k < take; k++, out += 4)
            put_le32(out, (uint32_t)chunk_elements[c][k]);
        done += take;
    }
    *status = STATUS_OK;
    return 4 + 4 * n;
}

/*
 * Housekeeping: a used slot's key must be found where it lies, and its chunk chain must hold exactly
 * its count, ending at its tail.
 */
static uint32_t audit(uint32_t slot, uint32_t *digest)
{
    if (!key_used[slot])
        return 0;
    const struct list *l = &lists[slot];
    uint32_t chunks = 1, c = l->head;
    while (chunk_next[c] != CHUNK_NONE && chunks <= LIST_ELEMENTS_MAX / CHUNK_ELEMENTS) {
        c = chunk_next[c];
        chunks++;
    }
    uint32_t want = l->count == 0 ? 1 : (l->count + CHUNK_ELEMENTS - 1) / CHUNK_ELEMENTS;
    if (key_probe(l->key) != slot || l->count > LIST_ELEMENTS_MAX || chunks != want || c != l->tail) {
        rt_printf("append: audit: list %u in slot %u is broken (count %u, %u chunks)\n", l->key, slot, l->count, chunks);
        rt_exit(RT_EXIT_TRAP);
    }
    uint32_t last = l->count == 0 ? 0 : (uint32_t)chunk_elements[l->tail][(l->count - 1) % CHUNK_ELEMENTS];
    *digest = server_mix(server_mix(server_mix(*digest, l->key), l->count), last);
    return 1;
}

static uint32_t execute(const struct request *rq, uint8_t *payload, uint8_t *status)
{
    switch (rq->op) {
    case OP_APPEND: return do_append(rq, status);
    case OP_READ:
    case OP_READ_LIST: return do_read_list(rq, payload, status);
    default:
        *status = STATUS_BAD_REQUEST;
        return 0;
    }
}

int main(void)
{
    static const struct server_config cfg = {
        .name = "append",
        .execute = execute,
        .reply_bytes_max = REPLY_BYTES_MAX,
        .reply_cache = reply_cache,
        .audit = audit,
        .audit_slots = KEY_SLOTS,
    };
    server_run(&cfg);
}
