package dev.lockstep.harness.report;

import java.util.List;

/** Colours shared by every report, so one glance tells ok from fail from info in all of them. */
final class Colors {

  private static final List<String> FAULT_PALETTE =
      List.of("#f4a261", "#e9c46a", "#a8dadc", "#cdb4db", "#ffafcc", "#b5e48c", "#f28482");

  private Colors() {}

  static String ofType(String type) {
    return switch (type) {
      case "ok" -> "#6fbf73";
      case "fail" -> "#e5534b";
      case "info" -> "#e3b341";
      default -> "#9aa4ae";
    };
  }

  /** A stable colour per fault name. */
  static String ofFault(String name) {
    String family = name.contains(" ") ? name.substring(0, name.indexOf(' ')) : name;
    return FAULT_PALETTE.get(Math.floorMod(family.hashCode(), FAULT_PALETTE.size()));
  }
}
