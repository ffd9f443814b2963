/**
 * Linearizability of a client history against a sequential model (register, cas-register, kv,
 * mutex, list-append): a Wing &amp; Gong / Lowe search with memoised (state, linearized set)
 * fingerprints, one independent search per key run in parallel, bounded by a deadline and a memo
 * byte budget. Never reads files and never prints: it takes ops and returns a result.
 */
package dev.lockstep.checkers.linear;
