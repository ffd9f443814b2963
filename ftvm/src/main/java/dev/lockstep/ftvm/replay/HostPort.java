package dev.lockstep.ftvm.replay;

/**
 * The one port all nondeterminism crosses. The machine calls it only from its slow path (a device
 * access), always on the thread that runs the machine, with the icount of the instruction doing it.
 */
public interface HostPort {

  /** The value of a clock read: {@link EventKind#CLOCK_MTIME} (µs) or {@link EventKind#CLOCK_RTC} (ns). */
  long readClock(long icount, EventKind kind);

  /** 32 random bits for an RNG read. */
  int readRandom(long icount);

  /**
   * An output of the guest: {@link EventKind#CONSOLE_OUT}, {@link EventKind#NIC_TX} or
   * {@link EventKind#DISK_START}. The payload array belongs to the port from now on.
   */
  void output(long icount, EventKind kind, byte[] payload);

  /** The port of a machine between its boot or restore and a driver installing its own: any use is a bug. */
  HostPort UNATTACHED =
      new HostPort() {
        @Override
        public long readClock(long icount, EventKind kind) {
          throw new IllegalStateException("no driver attached");
        }

        @Override
        public int readRandom(long icount) {
          throw new IllegalStateException("no driver attached");
        }

        @Override
        public void output(long icount, EventKind kind, byte[] payload) {
          throw new IllegalStateException("no driver attached");
        }
      };
}
