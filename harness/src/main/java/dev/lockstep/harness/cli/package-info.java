/**
 * The {@code lockstep} command line: parses arguments and hands off to the modules. Holds no logic of
 * its own beyond turning user mistakes into one-line errors and exit codes.
 */
package dev.lockstep.harness.cli;
