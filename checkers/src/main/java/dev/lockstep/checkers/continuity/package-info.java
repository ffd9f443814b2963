/**
 * The paper's output requirement, checked from the node logs of one run: every output an earlier
 * primary released is produced again, byte-identical and with the same {@code outSeq}, by the node that
 * goes live, before it takes new input; and the protocol audits that a single run can always show
 * (who may act as primary of an epoch, epochs never going back, one winner per epoch, each release
 * covered by an ack, no received or acked entry dropped at go-live). Reads files, never writes them.
 */
package dev.lockstep.checkers.continuity;
