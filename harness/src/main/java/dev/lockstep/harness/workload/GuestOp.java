package dev.lockstep.harness.workload;

/**
 * One guest request without its client id and request sequence (the client library owns those): the
 * op code and arguments of the request layout in {@code ftvm/DEVICES.md}.
 */
public record GuestOp(int op, int key, int arg1, int arg2) {

  public static final int READ = 1;
  public static final int WRITE = 2;
  public static final int CAS = 3;
  public static final int APPEND = 4;
  public static final int READ_LIST = 5;

  public GuestOp {
    if (op < READ || op > READ_LIST) {
      throw new IllegalArgumentException("guest op out of range: " + op);
    }
    if (key < 0) {
      throw new IllegalArgumentException("negative key: " + key);
    }
  }
}
