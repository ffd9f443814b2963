package dev.lockstep.harness.workload;

/** A client could not open, set up or tear down (an operating error, reported, never swallowed). */
public final class ClientException extends Exception {

  public ClientException(String message, Throwable cause) {
    super(message, cause);
  }

  public ClientException(String message) {
    super(message);
  }
}
