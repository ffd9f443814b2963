package dev.lockstep.ftvm.golive;

/** The backup of a cluster as published in ZooKeeper: who, where, and for which epoch. */
public record BackupRecord(NodeAddress node, long epoch) {}
