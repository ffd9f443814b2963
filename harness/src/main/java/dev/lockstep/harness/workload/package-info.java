/**
 * Workloads: what a test asks of the cluster and how it is judged. Each workload bundles a client (the
 * {@link dev.lockstep.harness.workload.Client} lifecycle over the ftvm client library), a generator, the
 * model name the linearizability checker uses and the checkers that apply. Owns the value model: how a
 * Jepsen op maps onto a guest request and a guest reply back onto an op's completion. Must never decide
 * verdicts or schedule faults.
 */
package dev.lockstep.harness.workload;
