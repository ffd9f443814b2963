/**
 * The op and event model, readers and writers for JSON Lines, JSON and EDN, and the run-directory
 * layout. Depends on Jackson only; never knows that a machine or a harness exists.
 */
package dev.lockstep.histories;
