package dev.lockstep.histories;

/** An EDN tagged element such as {@code #inst "2024-01-01T00:00:00Z"}: the tag without '#'. */
public record Tagged(String tag, Object value) {
  public Tagged {
    java.util.Objects.requireNonNull(tag, "tag");
  }
}
