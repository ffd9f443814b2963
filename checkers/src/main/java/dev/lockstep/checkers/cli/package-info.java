/**
 * The {@code lockstep check} and {@code lockstep bench checkers} commands: parse arguments, read
 * files, print verdicts and figures, and map them to exit codes. No checking logic of their own.
 */
package dev.lockstep.checkers.cli;
