package dev.lockstep.ftvm.replay;

/** PLACEHOLDER until branch {@code machine} lands (MACHINE-API.md); replaced by the machine's enum on merge. */
public enum EventKind {
  PACKET, DISK_DONE, TIMER,
  CLOCK_MTIME, CLOCK_RTC, RNG,
  CONSOLE_OUT, NIC_TX, DISK_START,
  PROGRESS, SHUTDOWN, STATE_HASH
}
