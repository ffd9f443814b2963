package dev.lockstep.ftvm.replay;

/**
 * PLACEHOLDER until branch {@code machine} lands (MACHINE-API.md): one nondeterministic event at an
 * icount. The machine helper's version replaces this file on merge.
 */
public record Event(long icount, EventKind kind, byte[] payload) {}
