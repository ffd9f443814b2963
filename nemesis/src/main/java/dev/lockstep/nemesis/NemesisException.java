package dev.lockstep.nemesis;

/** A fault could not be applied or healed (a process would not stop, a signal failed, I/O failed). */
public class NemesisException extends RuntimeException {
  public NemesisException(String message) {
    super(message);
  }

  public NemesisException(String message, Throwable cause) {
    super(message, cause);
  }
}
