/**
 * The simulated world: one thread, virtual time, one seed. The node's own protocol code (primary and
 * backup roles, the output gate, the log stream, the machine) runs here against simulated twins of the
 * logging channel, ZooKeeper, clocks and processes, so every interleaving and fault schedule replays
 * exactly from its seed.
 *
 * <p>Must never read a host clock, start a thread, touch a socket, or iterate a hash-ordered collection.
 */
package dev.lockstep.ftvm.sim;
