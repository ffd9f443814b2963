package dev.lockstep.ftvm.golive;

/** The live primary of a cluster as published in ZooKeeper: who, where, and for which epoch. */
public record PrimaryRecord(NodeAddress node, long epoch) {}
