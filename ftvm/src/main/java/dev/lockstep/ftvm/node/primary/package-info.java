/**
 * The recording primary: {@link dev.lockstep.ftvm.node.primary.PrimaryDriver} runs the machine in
 * slices, its port turns every nondeterministic input and every output into a log entry,
 * {@link dev.lockstep.ftvm.node.primary.LogStream} numbers the entries and batches them for the
 * backup, and {@link dev.lockstep.ftvm.node.primary.FlowControl} slows the machine when the backup
 * lags. Outputs go to the output rule ({@code node.outputrule}) and leave only from there.
 *
 * <p>Never waits and never starts a thread: the host (a thread in a node, a task in the simulator)
 * calls {@code turn()} and does the waiting it asks for. Never decides a role: going on alone,
 * losing the backup and halting are the lifecycle's. Never releases an output itself.
 */
package dev.lockstep.ftvm.node.primary;
