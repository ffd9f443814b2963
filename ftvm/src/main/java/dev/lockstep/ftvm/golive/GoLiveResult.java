package dev.lockstep.ftvm.golive;

/** The outcome of {@link Coordinator#tryGoLive}: this node won the next epoch, or another node holds it. */
public sealed interface GoLiveResult {
  /** This node holds the go-live node of {@code epoch}, which is now the cluster's epoch. */
  record Won(long epoch) implements GoLiveResult {}

  /**
   * The test-and-set failed: the cluster's epoch is {@code epoch} and {@code winner} holds its go-live node
   * (empty when that holder is already gone). The caller must halt.
   */
  record Lost(long epoch, String winner) implements GoLiveResult {}

  default boolean won() {
    return this instanceof Won;
  }

  /** The epoch won, or the cluster's epoch that made this attempt lose. */
  long epoch();
}
