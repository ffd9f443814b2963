package dev.lockstep.checkers.events;

/** A node's hash of the whole machine state after {@code icount} retired instructions. */
public record StateHash(String node, long icount, String hash) {}
