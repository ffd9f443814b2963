/*
 * The request/reply server shared by the kv and append guests: framing and at-most-once per client
 * exactly as ftvm/DEVICES.md "Guest packet protocol" fixes them, served from interrupts, with a
 * periodic timer tick that audits the guest's table and a journal of every mutating request on the
 * disk. A guest supplies the execution of one well-framed request and the audit of one table slot.
 */
#ifndef LOCKSTEP_SERVER_H
#define LOCKSTEP_SERVER_H

#include "rt.h"

#define PROTO_REQUEST_BYTES       24u
#define PROTO_REPLY_HEADER_BYTES  16u

#define OP_READ       1u
#define OP_WRITE      2u
#define OP_CAS        3u
#define OP_APPEND     4u
#define OP_READ_LIST  5u

#define STATUS_OK           0u
#define STATUS_FAIL         1u
#define STATUS_NIL          2u
#define STATUS_BAD_REQUEST  3u
#define STATUS_FULL         4u

/* Clients remembered for at-most-once; a new client beyond this gets FULL (not executed). */
#define SERVER_CLIENTS_MAX  1024u

struct request {
    uint32_t client_id;
    uint32_t req_seq;
    uint32_t op;
    uint32_t key;
    int32_t arg1;
    int32_t arg2;
};

/*
 * Executes one request: writes the reply payload (at most the configured payload bytes) and returns
 * its length, storing the status. Only called for a request that must take effect (not a duplicate).
 */
typedef uint32_t (*server_execute_fn)(const struct request *rq, uint8_t *payload, uint8_t *status);

/*
 * Audits slot i of the guest's table (housekeeping at the timer tick): checks its invariants (a
 * broken one ends the run: the guest's memory is corrupt), mixes what it holds into *digest and
 * returns 1 when the slot is in use.
 */
typedef uint32_t (*server_audit_fn)(uint32_t slot, uint32_t *digest);

/* The digest step the audits use (murmur3's). */
static inline uint32_t server_mix(uint32_t h, uint32_t v)
{
    h ^= v * 0xCC9E2D51u;
    h = (h << 13) | (h >> 19);
    return h * 5u + 0xE6546B64u;
}

struct server_config {
    const char *name;
    server_execute_fn execute;
    /* Header plus the largest payload execute may write. */
    uint32_t reply_bytes_max;
    /* SERVER_CLIENTS_MAX * reply_bytes_max bytes: the cached last reply of every client. */
    uint8_t *reply_cache;
    server_audit_fn audit;
    /* Slots of the guest's table, audited a few per tick, round and round. */
    uint32_t audit_slots;
};

/* Serves requests forever from interrupts, sleeping in WFI with interrupts on in between. */
__attribute__((noreturn)) void server_run(const struct server_config *cfg);

#endif
