package dev.lockstep.ftvm.golive;

/**
 * The coordinator's ZooKeeper connection as Curator reports it. Called on Curator's event thread; return quickly.
 * SUSPENDED means stop releasing output that needs ZooKeeper's word; LOST means the session (and with it
 * every ephemeral node: go-live, primary and backup records) is gone, so demote.
 */
public interface ConnectionListener {
  void suspended();

  void reconnected();

  void lost();

  /** A listener that ignores every state change. */
  ConnectionListener NONE = new ConnectionListener() {
    @Override
    public void suspended() {}

    @Override
    public void reconnected() {}

    @Override
    public void lost() {}
  };
}
