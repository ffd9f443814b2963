package dev.lockstep.checkers.events;

/** A node took {@code role} (primary, backup, halted...) in {@code epoch} at {@code time} ns. */
public record RoleChange(String node, long epoch, String role, long time) {}
