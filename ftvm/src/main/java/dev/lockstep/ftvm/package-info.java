/**
 * ftvm: a deterministic RV32IM machine and the fault-tolerance protocol that runs it in virtual
 * lockstep on a primary and a backup.
 */
package dev.lockstep.ftvm;
