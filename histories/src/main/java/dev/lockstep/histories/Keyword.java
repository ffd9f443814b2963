package dev.lockstep.histories;

/** An EDN keyword such as {@code :nemesis}, kept apart from strings so EDN round-trips exactly. */
public record Keyword(String name) {
  public Keyword {
    java.util.Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return ":" + name;
  }
}
