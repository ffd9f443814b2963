/**
 * Process faults: SIGKILL, SIGSTOP/SIGCONT and restart of a node or ZooKeeper server process
 * through a launcher its owner supplies. Knows nothing about what the process is; never leaves a
 * process it stopped paused or running after {@link dev.lockstep.nemesis.process.ManagedProcess#close()}.
 */
package dev.lockstep.nemesis.process;
