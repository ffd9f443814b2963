/**
 * The logging channel between a primary and its backup: binary frames over Netty TCP (magic, version,
 * epoch, CRC32C), a challenge-response handshake keyed by the cluster secret, log batches, acks,
 * progress and heartbeats, snapshot chunks, and failure detection by silence.
 *
 * <p>Owns the wire format and the two endpoints {@link dev.lockstep.ftvm.ft.LogServer} (primary) and
 * {@link dev.lockstep.ftvm.ft.LogClient} (backup). It never decides roles, never holds output and never
 * runs the machine: it moves verified bytes and reports what it saw. A frame that is corrupt, from
 * another cluster, unauthenticated or from another epoch is never handed to a listener; it closes its
 * connection with a logged reason.
 */
package dev.lockstep.ftvm.ft;
