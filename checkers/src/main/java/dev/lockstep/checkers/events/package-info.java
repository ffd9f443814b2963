/**
 * Checkers over the nodes' event logs: duplicate output, divergence and split-brain. They read
 * released outputs, state hashes and role changes; they never look at the client history's values.
 */
package dev.lockstep.checkers.events;
