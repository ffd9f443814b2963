/**
 * {@code lockstep diverge}: where two nodes of one epoch of a stored run parted. Reads the nodes'
 * event logs (their state hashes and divergence reports), re-executes the logged inputs through the
 * window where the hashes part with the machine's one {@link dev.lockstep.ftvm.replay.Replayer}, and
 * names the instruction and the input there.
 *
 * <p>Reads a run directory; never writes to it and never runs a node.
 */
package dev.lockstep.harness.diverge;
