package dev.lockstep.checkers.linear;

/** What an op does to a model's state, decoded once from its {@code f}. */
enum OpKind {
  READ,
  WRITE,
  CAS,
  APPEND,
  ACQUIRE,
  RELEASE,
  /** A transaction of reads and writes on several keys (Knossos's multi-register). */
  TXN;

  /** The kind of {@code f}, or null when no model knows it. */
  static OpKind of(String f) {
    if (f == null) {
      return null;
    }
    return switch (f) {
      case "read", "r", "get" -> READ;
      case "write", "w", "put" -> WRITE;
      case "cas" -> CAS;
      case "append" -> APPEND;
      case "acquire" -> ACQUIRE;
      case "release" -> RELEASE;
      case "txn" -> TXN;
      default -> null;
    };
  }
}
