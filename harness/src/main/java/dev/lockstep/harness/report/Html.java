package dev.lockstep.harness.report;

/** Escaping and the shared page frame of the reports. */
final class Html {

  private Html() {}

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
        + "<style>body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}"
        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}"
        + ".true{color:#1a7f37;font-weight:bold}.false{color:#cf222e;font-weight:bold}"
        + ".unknown{color:#9a6700;font-weight:bold}pre{background:#f6f8fa;padding:8px;overflow:auto}"
        + "svg text{font-size:11px;font-family:sans-serif}</style>\n</head><body>\n"
        + body + "\n</body></html>\n";
  }

  static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e9);
  }
}
