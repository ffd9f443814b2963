package dev.lockstep.checkers.linear;

/** What an op does to a model's state, decoded once from its {@code f}. */
enum OpKind {
  READ,
  WRITE,
  CAS,
  APPEND,
  ACQUIRE,
  RELEASE;

  /** The kind of {@code f}, or null when no model knows it. */
  static OpKind of(String f) {
    if (f == null) {
      return null;
    }
    return switch (f) {
      case "read", "r" -> READ;
      case "write", "w" -> WRITE;
      case "cas" -> CAS;
      case "append" -> APPEND;
      case "acquire" -> ACQUIRE;
      case "release" -> RELEASE;
      default -> null;
    };
  }
}
