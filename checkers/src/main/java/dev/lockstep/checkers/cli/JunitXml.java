package dev.lockstep.checkers.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The JUnit XML report of {@code lockstep check --junit-xml}: one test suite, one test case per
 * history or run directory. A non-linearizable history is a {@code <failure>} whose text is the
 * counterexample; unknown (a bound reached) and bad input are an {@code <error>} with the reason;
 * a valid one passes. CI servers (Jenkins, GitLab, GitHub test reporters) show each case.
 */
final class JunitXml {
  static final String SUITE = "lockstep check";

  /** One checked path: {@code outcome} is true, false, unknown or error; {@code text} the details. */
  record Case(String name, String outcome, String message, String text, double seconds) {}

  private JunitXml() {}

  static void write(Path file, List<Case> cases) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, render(cases), StandardCharsets.UTF_8);
  }

  static String render(List<Case> cases) {
    long failures = cases.stream().filter(c -> c.outcome().equals("false")).count();
    long errors = cases.stream().filter(c -> !c.outcome().equals("false") && !c.outcome().equals("true")).count();
    double total = cases.stream().mapToDouble(Case::seconds).sum();
    StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.append("<testsuite name=\"").append(SUITE).append("\" tests=\"").append(cases.size())
        .append("\" failures=\"").append(failures).append("\" errors=\"").append(errors)
        .append("\" skipped=\"0\" time=\"").append(seconds(total)).append("\">\n");
    for (Case c : cases) {
      out.append("  <testcase classname=\"lockstep.check\" name=\"").append(escape(c.name()))
          .append("\" time=\"").append(seconds(c.seconds())).append('"');
      switch (c.outcome()) {
        case "true" -> out.append("/>\n");
        case "false" -> element(out.append(">\n"), "failure", "not linearizable", c).append("  </testcase>\n");
        default -> element(out.append(">\n"), "error", c.message(), c).append("  </testcase>\n");
      }
    }
    return out.append("</testsuite>\n").toString();
  }

  private static StringBuilder element(StringBuilder out, String tag, String message, Case c) {
    return out.append("    <").append(tag).append(" type=\"").append(escape(c.outcome()))
        .append("\" message=\"").append(escape(message)).append("\">")
        .append(escape(c.text())).append("</").append(tag).append(">\n");
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }

  /** Text safe in an attribute or element: markup escaped, characters XML 1.0 forbids dropped. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      switch (cp) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          boolean allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
              || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
          if (allowed) {
            out.appendCodePoint(cp);
          }
        }
      }
    });
    return out.toString();
  }
}
