package dev.lockstep.harness.workload;

import dev.lockstep.harness.generator.Invocation;

/**
 * A workload's client, one per process, with Jepsen's lifecycle. Contract, in call order:
 * <ol>
 *   <li>{@link #open} binds the client to the cluster as {@code process}; called once, before anything
 *       else. A fresh process id (after an {@code info}) gets a fresh client.
 *   <li>{@link #setup} runs once per test, on one client only, before any invoke (e.g. seed the
 *       register); it must be idempotent.
 *   <li>{@link #invoke} performs one operation and always returns a completion: operational errors
 *       (timeouts, refused connections, a primary that vanished) become {@code INFO} — or {@code FAIL}
 *       only when the op certainly did not happen. It must never throw for them. Called by one thread
 *       at a time.
 *   <li>{@link #teardown} runs once per test, on one client, after the last invoke.
 *   <li>{@link #close} releases connections and threads; always called, even after a failed open.
 * </ol>
 */
public interface Client extends AutoCloseable {

  void open(ClientTarget target, int process) throws ClientException;

  void setup() throws ClientException;

  Completion invoke(Invocation invocation);

  void teardown() throws ClientException;

  @Override
  void close();
}
