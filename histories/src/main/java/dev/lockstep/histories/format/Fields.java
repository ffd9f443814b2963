package dev.lockstep.histories.format;

/** The names of an op's own fields, which an extra field may not take. */
final class Fields {
  private Fields() {}

  static boolean isCore(String name) {
    return switch (name) {
      case "type", "f", "value", "process", "time", "index", "error", "key" -> true;
      default -> false;
    };
  }
}
