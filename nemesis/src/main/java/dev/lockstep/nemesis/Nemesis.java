package dev.lockstep.nemesis;

/**
 * A fault injector with Jepsen's lifecycle.
 *
 * <p>Contract: {@link #setup()} is called once before any op and leaves no fault active;
 * {@link #invoke(NemesisOp)} applies one {@code start-X} or {@code stop-X} op of a family this
 * nemesis handles and returns the completed op, whose value names what was actually done (the
 * concrete nodes a target such as {@code primary} resolved to); a {@code stop-X} without a matching
 * start is a no-op; {@link #teardown()} heals every fault this nemesis may have started, is safe to
 * call more than once and after a failed invoke. Calls come from one thread at a time.
 */
public interface Nemesis {
  /** Prepares the nemesis; no fault is active afterwards. */
  void setup();

  /**
   * Applies one op and returns it completed.
   *
   * @throws IllegalArgumentException if this nemesis does not handle {@code op.f()}
   * @throws NemesisException if the fault could not be applied
   */
  NemesisOp invoke(NemesisOp op);

  /** Heals everything this nemesis started; idempotent. */
  void teardown();
}
