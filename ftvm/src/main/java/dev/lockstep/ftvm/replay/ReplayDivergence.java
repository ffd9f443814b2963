package dev.lockstep.ftvm.replay;

/**
 * Replay did not follow the log: the machine asked for, produced or reached something different
 * from what was recorded. Carries the first icount where it differs and both sides.
 */
public final class ReplayDivergence extends RuntimeException {
  private final long icount;
  private final String expected;
  private final String actual;

  public ReplayDivergence(long icount, String expected, String actual) {
    super("replay diverged at icount " + icount + ": expected " + expected + ", got " + actual);
    this.icount = icount;
    this.expected = expected;
    this.actual = actual;
  }

  /** The first icount at which replay differs from the recording. */
  public long icount() {
    return icount;
  }

  public String expected() {
    return expected;
  }

  public String actual() {
    return actual;
  }
}
