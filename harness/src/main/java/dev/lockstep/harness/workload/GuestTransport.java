package dev.lockstep.harness.workload;

/**
 * A channel to the live primary for one client id: sends a guest op and waits (bounded) for its reply,
 * retrying the same request on reconnect. Implementations never throw for operating errors; they
 * answer {@link GuestResult.Unknown}.
 */
public interface GuestTransport extends AutoCloseable {

  GuestResult call(GuestOp op);

  @Override
  void close();
}
