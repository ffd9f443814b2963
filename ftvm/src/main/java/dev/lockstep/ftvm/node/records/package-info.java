/**
 * What a node writes down: its event log for the checkers ({@code events.jsonl}) and its notes for
 * people and benchmarks ({@link dev.lockstep.ftvm.node.records.NodeEventLog}), its replay log, one
 * segment per run ({@link dev.lockstep.ftvm.node.records.ReplayLogSink},
 * {@link dev.lockstep.ftvm.node.records.ReplaySegments}), and the one snapshot format a primary streams
 * to a joining backup ({@link dev.lockstep.ftvm.node.records.NodeSnapshot}). The real node, the
 * simulated one and the harness's replay check all read and write them here.
 *
 * <p>Never decides anything and never drops a record silently: what a node logged before it was
 * killed stays on disk, and a record after close is dropped only because the node is ending.
 */
package dev.lockstep.ftvm.node.records;
