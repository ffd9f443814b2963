package dev.lockstep.ftvm.replay;

/**
 * What an {@link Event} is, with its payload layout. All integers in payloads are little-endian.
 *
 * <p>The {@link #code()} is the byte written to replay logs and wire frames; it never changes for a
 * kind, so new kinds get new codes.
 */
public enum EventKind {
  // --- asynchronous inputs: the host chooses the icount; delivered through Machine.deliver ---
  /** A packet arrives in the NIC rx queue. Payload: the packet bytes (1 … 8192). */
  PACKET(1, Category.ASYNC),
  /**
   * The disk request in flight completes. Payload: u8 status (2 done, 3 error), then for a successful
   * read the {@code count × 512} bytes read; nothing else for a write or an error.
   */
  DISK_DONE(2, Category.ASYNC),
  /** The machine timer fires (host time reached mtimecmp): sets mip.MTIP. Payload: empty. */
  TIMER(3, Category.ASYNC),

  // --- synchronous inputs: a value the machine asks for at the icount of a load ---
  /** A read of MTIME_LO or the {@code time} CSR. Payload: i64 microseconds of host time. */
  CLOCK_MTIME(10, Category.SYNC),
  /** A read of the RTC NS_LO register. Payload: i64 Unix time in nanoseconds. */
  CLOCK_RTC(11, Category.SYNC),
  /** A read of the RNG VALUE register. Payload: i32 random bits. */
  RNG(12, Category.SYNC),

  // --- outputs: logged so replay can verify them ---
  /** A byte written to the console TX register. Payload: that one byte. */
  CONSOLE_OUT(20, Category.OUTPUT),
  /** A packet sent by the NIC. Payload: the packet bytes. */
  NIC_TX(21, Category.OUTPUT),
  /**
   * A disk request starts. Payload: u8 op (1 read, 2 write), u32 first sector, u32 sector count, then
   * for a write the {@code count × 512} bytes to write.
   */
  DISK_START(22, Category.OUTPUT),

  // --- control entries: written by drivers, never given to the machine ---
  /** The writer vouches that the machine reached this icount. Payload: empty. */
  PROGRESS(30, Category.CONTROL),
  /** A deliberate end of the run (not a failure). Payload: empty. */
  SHUTDOWN(31, Category.CONTROL),
  /** The machine's {@code stateHash()} at this icount. Payload: i64 hash. */
  STATE_HASH(32, Category.CONTROL),
  /** The guest halted through tohost at this icount. Payload: i32 exit code. */
  HALT(33, Category.CONTROL);

  /** The four roles an event can play. */
  public enum Category { ASYNC, SYNC, OUTPUT, CONTROL }

  private static final EventKind[] BY_CODE = new EventKind[256];

  static {
    for (EventKind k : values()) {
      BY_CODE[k.code] = k;
    }
  }

  private final int code;
  private final Category category;

  EventKind(int code, Category category) {
    this.code = code;
    this.category = category;
  }

  /** The stable byte that names this kind in logs and frames. */
  public int code() {
    return code;
  }

  public Category category() {
    return category;
  }

  public boolean isAsync() {
    return category == Category.ASYNC;
  }

  public boolean isSync() {
    return category == Category.SYNC;
  }

  public boolean isOutput() {
    return category == Category.OUTPUT;
  }

  public boolean isControl() {
    return category == Category.CONTROL;
  }

  /** The kind with this code, or null when no kind has it. */
  public static EventKind fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
