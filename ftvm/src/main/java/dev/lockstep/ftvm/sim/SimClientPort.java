package dev.lockstep.ftvm.sim;

/**
 * A node's client port in the simulated world, the twin of {@code node.ClientPortServer}: requests
 * from simulated clients go to the node's inbox; a reply the output gate released goes back to the
 * client that last sent a request of its clientId.
 */
public final class SimClientPort {

  /** Where a primary takes client requests (the twin of ClientPortServer.ClientInbox). */
  public interface Inbox {
    /** A client request; false when the inbox is full (dropped, as a NIC drops it). */
    boolean offer(byte[] packet);

    /** Once per burst of offers. */
    void offered();
  }

  private Inbox inbox;

  /** The node serves clients from now on. */
  public void open(Inbox in) {
    this.inbox = in;
  }

  /** The node stops serving: connections are reset, later requests refused. */
  public void close() {
    this.inbox = null;
  }

  /** A guest reply the output gate released. */
  public void reply(byte[] packet) {
    throw new UnsupportedOperationException("client side not built yet");
  }

  /** The end of a burst of replies. */
  public void repliesDone() {}

  Inbox inbox() {
    return inbox;
  }
}
