package dev.lockstep.checkers.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Parses {@code --init}: nil, true, false, an integer, a [vector] of those, or else a string. */
final class InitValue {
  private InitValue() {}

  static Object parse(String text, CommandLine cli) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    if (t.startsWith("[")) {
      if (!t.endsWith("]")) {
        throw new ParameterException(cli, "--init: unterminated vector '" + text + "'");
      }
      List<Object> list = new ArrayList<>();
      for (String part : t.substring(1, t.length() - 1).split("[\\s,]+")) {
        if (!part.isEmpty()) {
          list.add(scalar(part));
        }
      }
      return list;
    }
    return scalar(t);
  }

  private static Object scalar(String t) {
    switch (t) {
      case "nil", "null":
        return null;
      case "true":
        return true;
      case "false":
        return false;
      default:
        break;
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
  }
}
