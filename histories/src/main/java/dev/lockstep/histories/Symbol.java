package dev.lockstep.histories;

/** An EDN symbol such as {@code java.net.SocketTimeoutException}, kept apart from strings. */
public record Symbol(String name) {
  public Symbol {
    java.util.Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return name;
  }
}
