package dev.lockstep.ftvm.golive;

/** The outcome of {@link Coordinator#reclaimGoLive}: may a node whose session was lost go on in its epoch. */
public enum Reclaim {
  /** The epoch is still the cluster's and this node's current session holds its go-live node. */
  HELD,
  /** The cluster's epoch moved on: another node may be live; this one must halt. */
  EPOCH_ADVANCED,
  /** The epoch stands but another node holds its go-live node; this one must halt. */
  HELD_BY_OTHER
}
