/**
 * {@code lockstep bench ft}: the FT figures of the kv guest on this machine, measured with a real
 * ZooKeeper, real node processes and real sockets (throughput with and without a backup, the latency
 * the output rule adds, failover time, logging-channel bytes, the backup's lag).
 *
 * <p>Only measures: it starts, drives and kills node processes as an operator would and reads their
 * logs; it must never change how a node runs.
 */
package dev.lockstep.ftvm.node.bench;
