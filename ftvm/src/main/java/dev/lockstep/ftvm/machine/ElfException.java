package dev.lockstep.ftvm.machine;

/** The guest image is not a loadable RV32 little-endian executable; the message names what and where. */
public final class ElfException extends Exception {
  public ElfException(String message) {
    super(message);
  }
}
