package dev.lockstep.ftvm.sim;

/**
 * One end of a simulated TCP connection carrying messages of type {@code M}. Messages sent from one end
 * reach the other in the order sent, each as a task of the receiving process, until either end closes or
 * the connection is reset. Use from the owning process's tasks only.
 */
public final class SimSocket<M> {
  private final SimNetwork.Connection<M> connection;
  private final boolean client;
  private final String processName;
  SimProcess process;
  SimNetwork.Handler<M> handler;
  boolean open = true;
  boolean established;

  SimSocket(SimNetwork.Connection<M> connection, boolean client, String processName, SimProcess process,
      SimNetwork.Handler<M> handler) {
    this.connection = connection;
    this.client = client;
    this.processName = processName;
    this.process = process;
    this.handler = handler;
  }

  /**
   * Sends {@code message}, charged as {@code bytes} on the wire (bandwidth and flow control); false when
   * this end is closed and the message went nowhere.
   */
  public boolean send(M message, int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative message size " + bytes);
    }
    if (!open) {
      return false;
    }
    connection.outbound(this).send(message, bytes);
    return true;
  }

  /**
   * Closes this end in order: what was sent before still arrives, then the peer sees the connection
   * closed. This end's handler hears {@code closed} too, as a task, as Netty's channelInactive follows a
   * local close. Idempotent.
   */
  public void close() {
    connection.close(this);
  }

  /** Aborts the connection: both ends see it closed at once and what was in flight is lost. */
  public void reset() {
    connection.reset("connection reset");
  }

  /** True until this end was closed, the peer's close or reset reached it, or the connection was reset. */
  public boolean isOpen() {
    return open;
  }

  /** True once the connection is established (for a client end: the connect succeeded). */
  public boolean established() {
    return established && open;
  }

  /**
   * Bytes sent from this end that the peer's process has not yet taken: in flight, held by a partition,
   * or waiting in a paused receiver. The simulated socket buffers plus the sender's outbound queue.
   */
  public long unconsumedBytes() {
    return connection.outbound(this).unconsumed;
  }

  /** The name of this end's process. */
  public String localName() {
    return processName;
  }

  /** The name of the peer's process. */
  public String peerName() {
    return connection.peerOf(this).processName;
  }

  boolean isClient() {
    return client;
  }

  SimProcess process() {
    return process;
  }

  @Override
  public String toString() {
    return "SimSocket[" + connection.id + " " + processName + "->" + peerName() + (open ? "" : " closed") + "]";
  }
}
